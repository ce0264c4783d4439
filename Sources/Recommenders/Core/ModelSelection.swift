import Datasets
import Dispatch
import Evaluation

/// The one evaluation path every model goes through (DESIGN.md's standard protocol): choose a
/// configuration on validation, then rank the test cases with it, fit on train + validation.
/// Hyperparameters never see the test targets.
///
/// - **Grid search** (closed-form models, and any model under a protocol whose validation targets
///   are not the last items of train + validation): fit each grid point on `split.train` and rank
///   the validation cases; keep the best validation NDCG@10 (ties: the earlier point); refit it on
///   train + validation. When the winner sits at an end of a `SearchAxis` of the grid, the grid is
///   extended past that end, one geometric step at a time, while the new point keeps winning (at
///   most `maxGridExtensions` steps per axis and direction); the report notes the points added.
/// - **Successive halving** (`EpochTrainedRecommender`s under leave-one-out): every configuration
///   is fit on train + validation, where its early stopping holds out exactly the validation
///   targets, and `SuccessiveHalving` decides which configurations get more epochs (by validation
///   NDCG@10, the metric their early stopping watches); the winner's fit is the one tested, so the
///   search costs a few fits' worth of epochs, not a refit more.
public struct ModelSelection {
    /// The evaluation loop used for both phases.
    public var evaluator: Evaluator
    /// The validation metric that picks the configuration.
    public var selectionMetric: String
    /// The schedule that searches epoch-trained models.
    public var halving: SuccessiveHalving
    /// Most points a grid is extended by per axis and direction. Default 4.
    public var maxGridExtensions: Int

    /// A selection loop with `evaluator` that maximises `selectionMetric` on validation.
    public init(evaluator: Evaluator = Evaluator(), selectionMetric: String = MetricKey.ndcg(at: 10),
                halving: SuccessiveHalving = SuccessiveHalving(), maxGridExtensions: Int = 4) {
        self.evaluator = evaluator
        self.selectionMetric = selectionMetric
        self.halving = halving
        self.maxGridExtensions = maxGridExtensions
    }

    /// What the selection loop reports while it works.
    public enum Event {
        /// Grid point `index` of `count` was fit and validated (`count` grows when the grid is extended).
        case validated(index: Int, count: Int, config: [String: String], metric: Double, seconds: Double)
        /// Successive halving trained configuration `index` of `count` to `epochs` epochs in `rung`;
        /// `metric` is its best validation value so far.
        case trained(rung: Int, index: Int, count: Int, config: [String: String], epochs: Int, metric: Double,
                     seconds: Double)
        /// The chosen configuration was tested (refit on train + validation first, unless halving fit it there).
        case tested(config: [String: String], metric: Double, seconds: Double)
        /// The chosen configuration was fit again with another `seed` and tested (`--seeds`).
        case seeded(seed: Int, metric: Double, seconds: Double)
    }

    /// The validation half of the protocol: the grid, each point's validation metrics, and the winner.
    public struct ValidationOutcome {
        /// Every point tried with its validation metrics, in the order tried.
        public var grid: [EvaluationReport.GridPoint]
        /// The winning candidate.
        public var chosen: ModelCandidate
        /// The winner's validation result.
        public var chosenResult: EvaluationResult
        /// Seconds spent fitting, over all points.
        public var fitSeconds: Double
        /// Seconds spent ranking validation cases, over all points.
        public var rankSeconds: Double
    }

    /// Fits every candidate on `split.train`, ranks `split.validation`, keeps the best by
    /// `selectionMetric` (ties: the earlier point), then extends the grid along the candidates'
    /// search axes where the best sits at an end.
    public func selectOnValidation(candidates: [ModelCandidate], split: Split,
                                   onEvent: ((Event) -> Void)? = nil) throws -> ValidationOutcome {
        precondition(!candidates.isEmpty, "model selection needs at least one candidate")
        let trainData = TrainingData(numUsers: split.numUsers, numItems: split.numItems, sequences: split.train)
        var outcome: ValidationOutcome?
        var bestMetric = -Double.infinity
        var count = candidates.count
        func validate(_ candidate: ModelCandidate, note: String?) throws -> Double {
            let pointStart = Clock.now
            let model = candidate.make()
            try model.fit(trainData)
            let fitSeconds = Clock.seconds(from: pointStart, to: Clock.now)
            let result = try evaluator.evaluate(model, on: split.validation)
            let metric = result.metrics[selectionMetric] ?? -.infinity
            let point = EvaluationReport.GridPoint(config: candidate.config, validationMetrics: result.metrics, note: note)
            if outcome == nil {
                outcome = ValidationOutcome(grid: [point], chosen: candidate, chosenResult: result, fitSeconds: fitSeconds,
                                            rankSeconds: result.seconds)
                bestMetric = metric
            } else {
                outcome!.grid.append(point)
                outcome!.fitSeconds += fitSeconds
                outcome!.rankSeconds += result.seconds
                if metric > bestMetric {
                    (outcome!.chosen, outcome!.chosenResult, bestMetric) = (candidate, result, metric)
                }
            }
            onEvent?(.validated(index: outcome!.grid.count - 1, count: count, config: candidate.config, metric: metric,
                                seconds: Clock.seconds(from: pointStart, to: Clock.now)))
            return metric
        }
        for candidate in candidates { _ = try validate(candidate, note: nil) }
        for axis in candidates[0].searchAxes {
            let values = Set(candidates.compactMap { $0.config[axis.name].flatMap(Double.init) })
            guard values.count > 1, var low = values.min(), var high = values.max() else { continue }
            var extended = 0
            while extended < maxGridExtensions, let chosen = outcome?.chosen,
                  let value = chosen.config[axis.name].flatMap(Double.init), value <= low || value >= high,
                  let next = axis.step(from: value, upwards: value >= high), let nextValue = Double(next),
                  let candidate = try chosen.changing?([axis.name: next]),
                  !outcome!.grid.contains(where: { $0.config == candidate.config }) {
                count += 1
                extended += 1
                let note = "grid extended: \(axis.name) " + (value >= high ? "above \(format(high))" : "below \(format(low))")
                if value >= high { high = nextValue } else { low = nextValue }
                let previousBest = bestMetric
                _ = try validate(candidate, note: note)
                guard bestMetric > previousBest else { break }
            }
        }
        return outcome!
    }

    /// Runs the whole protocol for one model and returns its report (not yet written to disk):
    /// successive halving for epoch-trained models under leave-one-out (see the type), grid search
    /// and a refit on train + validation otherwise.
    ///
    /// - Parameters:
    ///   - candidates: the grid, all of the same model, at least one.
    ///   - split: a leave-one-out or temporal split of `dataset`.
    ///   - seeds: fits of the chosen configuration, each with its own seed (the configuration's
    ///     `seed`, then the next ones), all fit on train + validation and tested; the report holds
    ///     each seed's metrics and their mean (`EvaluationResult.mean(of:)`). More than one needs a
    ///     model with a `seed` setting.
    ///   - onEvent: progress, called on the calling thread.
    public func run(candidates: [ModelCandidate], split: Split, dataset: String, seeds: Int = 1,
                    onEvent: ((Event) -> Void)? = nil) throws -> EvaluationReport {
        precondition(seeds >= 1, "at least one seed")
        let start = Clock.now
        if let models = halvingModels(candidates, split: split) {
            return try runHalving(candidates: candidates, models: models, split: split, dataset: dataset, seeds: seeds,
                                  start: start, onEvent: onEvent)
        }
        let validation = try selectOnValidation(candidates: candidates, split: split, onEvent: onEvent)
        let testStart = Clock.now
        let model = validation.chosen.make()
        try model.fit(TrainingData(numUsers: split.numUsers, numItems: split.numItems, sequences: split.trainAndValidation))
        let fitSeconds = Clock.seconds(from: testStart, to: Clock.now)
        let test = try evaluator.evaluate(model, on: split.test)
        onEvent?(.tested(config: validation.chosen.config, metric: test.metrics[selectionMetric] ?? .nan,
                         seconds: Clock.seconds(from: testStart, to: Clock.now)))
        return try report(model: model, chosen: validation.chosen, grid: validation.grid, search: nil, split: split,
                          dataset: dataset, validation: validation.chosenResult, test: test, seeds: seeds,
                          timings: ["fit": fitSeconds, "gridFit": validation.fitSeconds,
                                    "validation": validation.rankSeconds],
                          start: start, onEvent: onEvent)
    }

    /// The configuration the protocol chooses, with its validation `selectionMetric` (NDCG@10 under
    /// successive halving), without testing it: what `llmrec train` fits on every interaction.
    public func choose(candidates: [ModelCandidate], split: Split,
                       onEvent: ((Event) -> Void)? = nil) throws -> (candidate: ModelCandidate, metric: Double) {
        if let models = halvingModels(candidates, split: split) {
            let outcome = try halve(candidates: candidates, models: models, split: split, onEvent: onEvent)
            return (candidates[outcome.winner], outcome.entrants[outcome.winner].progress.bestMetric)
        }
        let validation = try selectOnValidation(candidates: candidates, split: split, onEvent: onEvent)
        return (validation.chosen, validation.chosenResult.metrics[selectionMetric] ?? .nan)
    }

    /// The models successive halving searches: `candidates`' models when they train in epochs and
    /// `split`'s validation targets end train + validation (leave-one-out); nil for grid search.
    private func halvingModels(_ candidates: [ModelCandidate], split: Split) -> [any EpochTrainedRecommender]? {
        guard split.validationTargetsEndTrainAndValidation else { return nil }
        return candidates.map { $0.make() } as? [any EpochTrainedRecommender]
    }

    /// `halving` over `models` (built from `candidates`), each fit on train + validation.
    private func halve(candidates: [ModelCandidate], models: [any EpochTrainedRecommender], split: Split,
                       onEvent: ((Event) -> Void)?) throws -> SuccessiveHalving.Outcome {
        let data = TrainingData(numUsers: split.numUsers, numItems: split.numItems, sequences: split.trainAndValidation)
        return try halving.run(models: models, data: data) { rung, index, progress, seconds in
            onEvent?(.trained(rung: rung, index: index, count: models.count, config: candidates[index].config,
                              epochs: progress.epochsRun, metric: progress.bestMetric, seconds: seconds))
        }
    }

    /// Successive halving over `models` (built from `candidates`), then the winner's validation and
    /// test results.
    private func runHalving(candidates: [ModelCandidate], models: [any EpochTrainedRecommender], split: Split,
                            dataset: String, seeds: Int, start: UInt64,
                            onEvent: ((Event) -> Void)?) throws -> EvaluationReport {
        let outcome = try halve(candidates: candidates, models: models, split: split, onEvent: onEvent)
        let fitSeconds = Clock.seconds(from: start, to: Clock.now)
        let model = models[outcome.winner]
        let validationResult = try evaluator.evaluate(model, on: split.validation)
        let test = try evaluator.evaluate(model, on: split.test)
        onEvent?(.tested(config: candidates[outcome.winner].config, metric: test.metrics[selectionMetric] ?? .nan,
                         seconds: Clock.seconds(from: start, to: Clock.now) - fitSeconds))
        let grid = zip(candidates, outcome.entrants).enumerated().map { index, pair in
            let (candidate, entrant) = pair
            return EvaluationReport.GridPoint(
                config: candidate.config,
                validationMetrics: index == outcome.winner ? validationResult.metrics
                    : [MetricKey.ndcg(at: 10): entrant.progress.bestMetric],
                epochs: entrant.progress.epochsRun,
                note: entrant.droppedAfterRung.map { "dropped after rung \($0 + 1)" })
        }
        let search = candidates.count == 1 ? nil
            : "successive halving over \(candidates.count) configurations: rungs to "
              + outcome.rungEpochs.map(String.init).joined(separator: ", ")
              + " epochs, the better half continuing; the last one trained to its early stop"
        return try report(model: model, chosen: candidates[outcome.winner], grid: grid, search: search, split: split,
                          dataset: dataset, validation: validationResult, test: test, seeds: seeds,
                          timings: ["fit": fitSeconds, "gridFit": 0, "validation": validationResult.seconds],
                          start: start, onEvent: onEvent)
    }

    /// The report of `model` (the fit chosen configuration) with what the fit and the search did,
    /// after fitting and testing the configuration with `seeds - 1` more seeds.
    private func report(model: any Recommender, chosen: ModelCandidate, grid: [EvaluationReport.GridPoint],
                        search: String?, split: Split, dataset: String, validation: EvaluationResult,
                        test: EvaluationResult, seeds: Int, timings: [String: Double], start: UInt64,
                        onEvent: ((Event) -> Void)?) throws -> EvaluationReport {
        var (validations, tests, seedRuns) = ([validation], [test], [EvaluationReport.SeedRun]())
        if seeds > 1 {
            guard let changing = chosen.changing, let first = chosen.config["seed"].flatMap(Int.init) else {
                throw ModelRegistryError.noSeed(model: chosen.model)
            }
            let data = TrainingData(numUsers: split.numUsers, numItems: split.numItems, sequences: split.trainAndValidation)
            seedRuns.append(.init(seed: first, validationMetrics: validation.metrics, testMetrics: test.metrics))
            for seed in first + 1..<first + seeds {
                let seedStart = Clock.now
                let seeded = try changing(["seed": String(seed)]).make()
                try seeded.fit(data)
                validations.append(try evaluator.evaluate(seeded, on: split.validation))
                tests.append(try evaluator.evaluate(seeded, on: split.test))
                seedRuns.append(.init(seed: seed, validationMetrics: validations.last!.metrics, testMetrics: tests.last!.metrics))
                onEvent?(.seeded(seed: seed, metric: tests.last!.metrics[selectionMetric] ?? .nan,
                                 seconds: Clock.seconds(from: seedStart, to: Clock.now)))
            }
        }
        let summary = model.fitSummary
        let meanTest = EvaluationResult.mean(of: tests)
        var report = EvaluationReport(
            model: chosen.model, dataset: dataset, protocolName: split.protocolName, config: chosen.config, grid: grid,
            validation: EvaluationResult.mean(of: validations), test: meanTest,
            timings: summary.timings.merging(timings.merging(["test": test.seconds,
                                                              "total": Clock.seconds(from: start, to: Clock.now)]) { $1 }) { $1 },
            counts: summary.counts.merging(
                ["users": split.numUsers, "items": split.numItems,
                 "trainInteractions": split.trainAndValidation.reduce(0) { $0 + $1.count },
                 "validationCases": split.validation.count, "testCases": split.test.count,
                 "gridPoints": grid.count]) { $1 })
        report.search = search
        report.seedRuns = seeds > 1 ? seedRuns : nil
        report.testTargetPopularity = meanTest.targetPopularityBuckets(cases: split.test, fitData: split.trainAndValidation,
                                                                       numItems: split.numItems)
        return report
    }

    /// A grid value as a note prints it: whole numbers without a fraction.
    private func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

/// Monotonic wall-clock seconds for timings.
enum Clock {
    static var now: UInt64 { DispatchTime.now().uptimeNanoseconds }
    static func seconds(from start: UInt64, to end: UInt64) -> Double { Double(end - start) / 1e9 }
}
