import Datasets
import Dispatch
import Evaluation

/// The one evaluation path every model goes through (DESIGN.md's standard protocol):
/// fit each grid point on `split.train` and rank the validation cases; keep the configuration with
/// the best validation NDCG@10 (ties: the earlier grid point); refit it on train + validation and
/// rank the test cases. Hyperparameters never see the test targets.
public struct ModelSelection {
    /// The evaluation loop used for both phases.
    public var evaluator: Evaluator
    /// The validation metric that picks the configuration.
    public var selectionMetric: String

    /// A selection loop with `evaluator` that maximises `selectionMetric` on validation.
    public init(evaluator: Evaluator = Evaluator(), selectionMetric: String = MetricKey.ndcg(at: 10)) {
        self.evaluator = evaluator
        self.selectionMetric = selectionMetric
    }

    /// What the selection loop reports while it works.
    public enum Event {
        /// Grid point `index` of `count` was fit and validated.
        case validated(index: Int, count: Int, config: [String: String], metric: Double, seconds: Double)
        /// The chosen configuration was refit on train + validation and tested.
        case tested(config: [String: String], metric: Double, seconds: Double)
    }

    /// The validation half of the protocol: the grid, each point's validation metrics, and the winner.
    public struct ValidationOutcome {
        /// Every grid point with its validation metrics, in grid order.
        public var grid: [EvaluationReport.GridPoint]
        /// The winning candidate.
        public var chosen: ModelCandidate
        /// The winner's validation result.
        public var chosenResult: EvaluationResult
        /// Seconds spent fitting, over all grid points.
        public var fitSeconds: Double
        /// Seconds spent ranking validation cases, over all grid points.
        public var rankSeconds: Double
    }

    /// Fits every candidate on `split.train`, ranks `split.validation`, keeps the best by
    /// `selectionMetric` (ties: the earlier grid point).
    public func selectOnValidation(candidates: [ModelCandidate], split: Split,
                                   onEvent: ((Event) -> Void)? = nil) throws -> ValidationOutcome {
        precondition(!candidates.isEmpty, "model selection needs at least one candidate")
        let trainData = TrainingData(numUsers: split.numUsers, numItems: split.numItems, sequences: split.train)
        var grid: [EvaluationReport.GridPoint] = []
        var best: (index: Int, metric: Double, result: EvaluationResult)?
        var fitSeconds = 0.0
        var rankSeconds = 0.0
        for (index, candidate) in candidates.enumerated() {
            let pointStart = Clock.now
            let model = candidate.make()
            try model.fit(trainData)
            fitSeconds += Clock.seconds(from: pointStart, to: Clock.now)
            let result = try evaluator.evaluate(model, on: split.validation)
            rankSeconds += result.seconds
            let metric = result.metrics[selectionMetric] ?? -.infinity
            grid.append(EvaluationReport.GridPoint(config: candidate.config, validationMetrics: result.metrics))
            if best == nil || metric > best!.metric { best = (index, metric, result) }
            onEvent?(.validated(index: index, count: candidates.count, config: candidate.config, metric: metric,
                                seconds: Clock.seconds(from: pointStart, to: Clock.now)))
        }
        return ValidationOutcome(grid: grid, chosen: candidates[best!.index], chosenResult: best!.result,
                                 fitSeconds: fitSeconds, rankSeconds: rankSeconds)
    }

    /// Runs the whole protocol for one model and returns its report (not yet written to disk).
    ///
    /// A single configuration of a model that early-stops on each user's last training item
    /// (`earlyStopsOnLastTrainingItem`) is fit once, on train + validation, when every validation
    /// case is "the last item of that user's train + validation, given the rest" (leave-one-out):
    /// the fit then trains on exactly `split.train` and stops on exactly the validation targets, so
    /// a separate fit on `split.train` would choose nothing and repeat the work. Its validation
    /// metrics are those of the restored best epoch on the validation cases; test is unchanged.
    ///
    /// - Parameters:
    ///   - candidates: the grid, all of the same model, at least one.
    ///   - split: a leave-one-out or temporal split of `dataset`.
    ///   - onEvent: progress, called on the calling thread.
    public func run(candidates: [ModelCandidate], split: Split, dataset: String,
                    onEvent: ((Event) -> Void)? = nil) throws -> EvaluationReport {
        let start = Clock.now
        let fitsOnce = candidates.count == 1 && split.validationTargetsEndTrainAndValidation
            && candidates[0].make().earlyStopsOnLastTrainingItem
        let validation = fitsOnce ? nil : try selectOnValidation(candidates: candidates, split: split, onEvent: onEvent)
        let chosen = validation?.chosen ?? candidates[0]

        let testStart = Clock.now
        let model = chosen.make()
        try model.fit(TrainingData(numUsers: split.numUsers, numItems: split.numItems,
                                   sequences: split.trainAndValidation))
        let fitSeconds = Clock.seconds(from: testStart, to: Clock.now)
        let validationResult = try validation?.chosenResult ?? evaluator.evaluate(model, on: split.validation)
        if fitsOnce {
            onEvent?(.validated(index: 0, count: 1, config: chosen.config,
                                metric: validationResult.metrics[selectionMetric] ?? .nan,
                                seconds: Clock.seconds(from: testStart, to: Clock.now)))
        }
        let test = try evaluator.evaluate(model, on: split.test)
        onEvent?(.tested(config: chosen.config, metric: test.metrics[selectionMetric] ?? .nan,
                         seconds: Clock.seconds(from: testStart, to: Clock.now)))

        let summary = model.fitSummary
        return EvaluationReport(
            model: chosen.model, dataset: dataset, protocolName: split.protocolName, config: chosen.config,
            grid: validation?.grid ?? [EvaluationReport.GridPoint(config: chosen.config, validationMetrics: validationResult.metrics)],
            validation: validationResult, test: test,
            timings: summary.timings.merging(
                ["fit": fitSeconds, "test": test.seconds, "gridFit": validation?.fitSeconds ?? 0,
                 "validation": validation?.rankSeconds ?? validationResult.seconds,
                 "total": Clock.seconds(from: start, to: Clock.now)]) { $1 },
            counts: summary.counts.merging(
                ["users": split.numUsers, "items": split.numItems,
                 "trainInteractions": split.trainAndValidation.reduce(0) { $0 + $1.count },
                 "validationCases": split.validation.count, "testCases": split.test.count,
                 "gridPoints": candidates.count]) { $1 })
    }
}

/// Monotonic wall-clock seconds for timings.
enum Clock {
    static var now: UInt64 { DispatchTime.now().uptimeNanoseconds }
    static func seconds(from start: UInt64, to end: UInt64) -> Double { Double(end - start) / 1e9 }
}
