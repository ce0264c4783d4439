import NeuralNet

/// A model that trains in epochs and early-stops on each user's held-out last training item
/// (`NextItemTraining`: SASRec, HLLM, TIGER), and can train in slices of epochs.
///
/// `fit` is `startFit`, `continueFit` until training is over, `finishFit`. Successive halving
/// (`ModelSelection`) instead gives every configuration a few epochs, keeps the better half and
/// continues it: continuing is exact, so a configuration that survives every rung ends with the
/// weights one uninterrupted `fit` would give.
///
/// Because the held-out items are never trained on and drive early stopping, a fit on train +
/// validation under leave-one-out holds out exactly the validation targets: model selection then
/// fits each configuration once and reads its validation metric from the restored best epoch.
public protocol EpochTrainedRecommender: Recommender {
    /// Prepares training on `data` (a fresh network; no epoch run yet); replaces anything fit before.
    func startFit(_ data: TrainingData) throws
    /// Runs up to `epochs` more epochs, fewer once early stopping ends training; returns where
    /// training stands. Needs `startFit` first.
    func continueFit(epochs: Int) throws -> TrainingProgress
    /// Ends training: the best epoch's weights are restored and the model scores with them.
    func finishFit()
}

/// Where an early-stopped training stands after some epochs.
public struct TrainingProgress: Equatable, Sendable {
    /// Epochs run so far.
    public var epochsRun: Int
    /// The epoch with the best validation NDCG@10 so far (0 before any).
    public var bestEpoch: Int
    /// That epoch's validation NDCG@10 on the held-out last training items (-∞ before any).
    public var bestMetric: Double
    /// The latest validation NDCG@10 (-∞ before any): below `bestMetric` once training has
    /// passed its best epoch (overfitting).
    public var latestMetric: Double
    /// Whether training is over (patience ran out or the epoch cap was reached).
    public var isFinished: Bool

    /// Progress from its parts.
    public init(epochsRun: Int, bestEpoch: Int, bestMetric: Double, latestMetric: Double, isFinished: Bool) {
        self.epochsRun = epochsRun
        self.bestEpoch = bestEpoch
        self.bestMetric = bestMetric
        self.latestMetric = latestMetric
        self.isFinished = isFinished
    }
}

public extension EpochTrainedRecommender {
    /// Trains to the end in one go.
    func fit(_ data: TrainingData) throws {
        try startFit(data)
        _ = try continueFit(epochs: .max)
        finishFit()
    }
}

/// One early-stopped next-item training in progress (`TrainingLoop` over `NextItemTraining`'s
/// epochs), which an `EpochTrainedRecommender` keeps between `continueFit` calls.
///
/// `validate` should capture its model `unowned`: the model owns this value.
struct ResumableTraining {
    private let label: String
    private let loop: TrainingLoop
    private let parameters: [Parameter]
    private var state: TrainingLoop.State
    private let trainEpoch: (Int) -> Double
    private let publish: () -> Void
    private let validate: () throws -> Double

    /// Training of `parameters` by `trainEpoch` (given the 1-based epoch, returns its mean loss);
    /// `publish` makes the model score with the current weights; `validate` returns NDCG@10 on the
    /// held-out items (after `publish`). Progress goes to standard error, prefixed by `label`.
    init(label: String, parameters: [Parameter], maxEpochs: Int, patience: Int, trainEpoch: @escaping (Int) -> Double,
         publish: @escaping () -> Void, validate: @escaping () throws -> Double) {
        self.label = label
        loop = TrainingLoop(maxEpochs: maxEpochs, patience: patience)
        self.parameters = parameters
        state = loop.start(parameters: parameters)
        self.trainEpoch = trainEpoch
        self.publish = publish
        self.validate = validate
    }

    /// Where training stands.
    var progress: TrainingProgress {
        TrainingProgress(epochsRun: state.summary.epochsRun, bestEpoch: state.summary.bestEpoch,
                         bestMetric: state.summary.bestMetric,
                         latestMetric: state.summary.epochs.last { $0.metric != nil }?.metric ?? -.infinity,
                         isFinished: state.isFinished)
    }

    /// Up to `epochs` more epochs (`TrainingLoop.advance`); every 10th epoch is reported.
    mutating func advance(epochs: Int) throws -> TrainingProgress {
        let (label, publish, validate) = (label, publish, validate)
        try loop.advance(&state, epochs: epochs, parameters: parameters, trainEpoch: trainEpoch, validate: {
            publish()
            return try validate()
        }, onEpoch: { record in
            if record.epoch % 10 == 0 {
                trainingProgress("\(label) epoch \(record.epoch): loss \(record.loss), valid NDCG@10 "
                                 + "\(record.metric ?? .nan), \(record.trainSeconds) s")
            }
        })
        return progress
    }

    /// Restores and publishes the best weights; returns the summary.
    func finish() -> TrainingLoop.Summary {
        let summary = loop.finish(state, parameters: parameters)
        publish()
        trainingProgress("\(label): \(summary.epochsRun) epochs, best \(summary.bestEpoch) "
                         + "(valid NDCG@10 \(summary.bestMetric)), \(summary.secondsPerEpoch) s per training epoch")
        return summary
    }
}

extension Optional where Wrapped == ResumableTraining {
    /// `advance` of the training in progress (what a model's `continueFit` does).
    /// - Precondition: training was started (`startFit`).
    mutating func advance(epochs: Int) throws -> TrainingProgress {
        precondition(self != nil, "continueFit needs startFit first")
        return try self!.advance(epochs: epochs)
    }

    /// `finish` of the training in progress, which then ends (what a model's `finishFit` does);
    /// nil when none was in progress.
    mutating func finish() -> TrainingLoop.Summary? {
        defer { self = nil }
        return self?.finish()
    }
}
