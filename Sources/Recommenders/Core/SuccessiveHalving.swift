/// Successive halving (Jamieson & Talwalkar 2016, "Non-stochastic Best Arm Identification and
/// Hyperparameter Optimization"; the inner loop of Hyperband, Li et al. 2017) over configurations
/// of a model that trains in epochs (`EpochTrainedRecommender`).
///
/// Rung 0 trains every configuration for `firstRungEpochs` epochs; after each rung the better half
/// (rounded up; ties: the earlier configuration) continues to twice the epochs of the rung before,
/// and the others stop there. The last configuration standing trains until its own early stopping
/// ends it. A configuration still training is ranked by its latest validation NDCG@10 (on the
/// held-out last training items), as successive halving ranks by the current iterate's loss: one
/// that already peaked and overfits falls behind one still improving. (Ranking by the best so far
/// chose, on Amazon Office, a wide low-dropout SASRec that peaked at epoch 15 over dropout 0.5,
/// which passes it after about 40 epochs and ends 0.004 higher on test.) One whose early stopping
/// has ended is ranked by its best, the epoch it keeps, and is not trained further. Training continues exactly where it stopped
/// (`EpochTrainedRecommender`), so the winner ends with the weights one uninterrupted fit of it
/// would give, its best epoch restored.
///
/// Halving assumes learning curves that seldom cross after the first rung: a configuration that
/// starts slowly but ends best (more dropout) survives only if it leads at every rung's end, so the
/// first rung must be long enough for such curves to cross (`firstRungEpochs`).
///
/// Cost: with n configurations and r epochs in rung 0, every rung costs about n·r epochs (half the
/// configurations, twice the epochs; less where early stopping ends one), so the search costs at
/// most about `n·r·log₂ n` epochs plus the winner's own fit, instead of n whole fits.
public struct SuccessiveHalving: Sendable {
    /// Epochs every configuration trains before the first comparison. Default 60: on Office,
    /// SASRec with dropout 0.5 (valid NDCG@10 0.074 at epoch 40, 0.078 at 50, 0.082 at its end)
    /// passes dropout 0.2 (best 0.078 near epoch 30, early-stopped at 60) only after about 50
    /// epochs; with a 40-epoch first rung the search dropped it.
    public var firstRungEpochs: Int

    /// A schedule whose first rung trains `firstRungEpochs` epochs.
    public init(firstRungEpochs: Int = 60) {
        precondition(firstRungEpochs > 0, "the first rung needs at least one epoch")
        self.firstRungEpochs = firstRungEpochs
    }

    /// One configuration's part in the search.
    public struct Entrant {
        /// Where its training stands at the end of the search (the winner's: at the end of its fit).
        public var progress: TrainingProgress
        /// The rung after which it stopped (0-based), or nil for the winner.
        public var droppedAfterRung: Int?
    }

    /// The outcome of `run`.
    public struct Outcome {
        /// Index of the winning model, which is fit (its best epoch restored).
        public var winner: Int
        /// Every model's part, in input order.
        public var entrants: [Entrant]
        /// Total epochs each rung trained up to (cumulative), in order.
        public var rungEpochs: [Int]
    }

    /// Runs the search over `models` (fresh, of one model family), each trained on `data`.
    /// `onRung` is told, after every rung, each model still in it and its progress. Models that
    /// drop out are finished (`finishFit`) so that they release their training state.
    public func run(models: [any EpochTrainedRecommender], data: TrainingData,
                    onRung: ((_ rung: Int, _ index: Int, _ progress: TrainingProgress, _ seconds: Double) -> Void)? = nil)
        throws -> Outcome {
        precondition(!models.isEmpty, "successive halving needs at least one model")
        var entrants = [Entrant?](repeating: nil, count: models.count)
        var alive = Array(models.indices)
        var progress = [TrainingProgress?](repeating: nil, count: models.count)
        var rungEpochs: [Int] = []
        var target = firstRungEpochs
        var rung = 0
        while alive.count > 1 {
            rungEpochs.append(target)
            for index in alive {
                let start = Clock.now
                if rung == 0 { try models[index].startFit(data) }
                let done = progress[index]?.epochsRun ?? 0
                progress[index] = try models[index].continueFit(epochs: target - done)
                onRung?(rung, index, progress[index]!, Clock.seconds(from: start, to: Clock.now))
            }
            let ranked = alive.sorted {
                let (left, right) = (progress[$0]!.rankingMetric, progress[$1]!.rankingMetric)
                return left != right ? left > right : $0 < $1
            }
            let survivors = Array(ranked.prefix((alive.count + 1) / 2))
            for index in alive where !survivors.contains(index) {
                models[index].finishFit()
                entrants[index] = Entrant(progress: progress[index]!, droppedAfterRung: rung)
            }
            alive = survivors.sorted()
            target *= 2
            rung += 1
        }
        let winner = alive[0]
        let start = Clock.now
        if progress[winner] == nil { try models[winner].startFit(data) }
        let final = try models[winner].continueFit(epochs: .max)
        models[winner].finishFit()
        onRung?(rung, winner, final, Clock.seconds(from: start, to: Clock.now))
        entrants[winner] = Entrant(progress: final, droppedAfterRung: nil)
        return Outcome(winner: winner, entrants: entrants.map { $0! }, rungEpochs: rungEpochs)
    }
}

private extension TrainingProgress {
    /// What a rung compares: the latest metric while training goes on, the best once it is over.
    var rankingMetric: Double { isFinished ? bestMetric : latestMetric }
}
