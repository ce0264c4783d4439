import Datasets
import Evaluation
import Recommenders

/// One model on one split: the standard protocol (grid on validation, refit on train + validation,
/// test) plus a single-threaded scoring measurement of the refit model.
struct ModelResult: Codable {
    /// Model name.
    var model: String
    /// The configuration chosen on validation.
    var config: [String: String]
    /// Grid points tried.
    var gridPoints: Int
    /// Seconds fitting every grid point on train, and ranking validation with each.
    var gridFitSeconds: Double
    var gridValidationSeconds: Double
    /// Seconds refitting the chosen configuration on train + validation.
    var fitSeconds: Double
    /// `scoreBatch` over every test user in batches of `scoringBatchSize`, one thread: microseconds per user.
    var scoringMicrosecondsPerUser: Double
    var scoringBatchSize: Int
    /// Seconds of `Evaluator.evaluate` over the test cases (scoring, ranking, metrics; all cores).
    var testEvaluationSeconds: Double
    /// Validation and test metrics of the chosen configuration (`"NDCG@10"`, `"HR@10"`, `"MRR"`, ...).
    var validationMetrics: [String: Double]
    var testMetrics: [String: Double]
    /// 95% confidence interval of test NDCG@10 (per-user values, Student t).
    var testNDCG10Lower: Double?
    var testNDCG10Upper: Double?

    /// Runs the protocol for `model` on `experiment` (`ModelSelection.run` over the registry's grid,
    /// as `Experiment.evaluate` does) and times scoring with the model it refit on train +
    /// validation: every candidate's `make` remembers the instance it built, and the last one built
    /// is that refit model.
    static func measure(model: String, experiment: Experiment, scoringBatchSize: Int = 256) throws -> ModelResult {
        var lastBuilt: (any Recommender)?
        let candidates = try ModelRegistry.candidates(for: model, itemLLM: experiment.itemLLM).map { candidate in
            ModelCandidate(model: candidate.model, config: candidate.config) {
                let built = candidate.make()
                lastBuilt = built
                return built
            }
        }
        let report = try ModelSelection().run(candidates: candidates, split: experiment.split,
                                              dataset: experiment.dataset.name, onEvent: progressLines(model: model))
        let testCases = experiment.split.test
        let scoringSeconds = timeScoring(lastBuilt!, cases: testCases, batchSize: scoringBatchSize)
        let interval = report.testMeanEstimate(metric: MetricKey.ndcg(at: 10))?.interval
        return ModelResult(
            model: model, config: report.config, gridPoints: report.grid.count,
            gridFitSeconds: report.timings["gridFit"] ?? .nan, gridValidationSeconds: report.timings["validation"] ?? .nan,
            fitSeconds: report.timings["fit"] ?? .nan,
            scoringMicrosecondsPerUser: scoringSeconds / Double(testCases.count) * 1e6, scoringBatchSize: scoringBatchSize,
            testEvaluationSeconds: report.timings["test"] ?? .nan,
            validationMetrics: report.validationMetrics, testMetrics: report.testMetrics,
            testNDCG10Lower: interval?.lower, testNDCG10Upper: interval?.upper)
    }

    /// A `ModelSelection` event handler that writes one progress line per event of `model`'s selection.
    static func progressLines(model: String) -> (ModelSelection.Event) -> Void {
        { event in
            switch event {
            case .validated(let index, let count, let config, let metric, let seconds):
                let settings = config.keys.sorted().map { "\($0)=\(config[$0]!)" }.joined(separator: " ")
                progress("  \(model) [\(index + 1)/\(count)] \(settings): valid NDCG@10 \(MarkdownTable.metric(metric)) "
                         + "(\(MarkdownTable.seconds(seconds)) s)")
            case .trained(let rung, let index, let count, _, let epochs, let metric, let seconds):
                progress("  \(model) rung \(rung + 1) [\(index + 1)/\(count)] \(epochs) epochs: valid NDCG@10 "
                         + "\(MarkdownTable.metric(metric)) (\(MarkdownTable.seconds(seconds)) s)")
            case .seeded: break
            case .tested(_, let metric, let seconds):
                progress("  \(model) refit + test: NDCG@10 \(MarkdownTable.metric(metric)) (\(MarkdownTable.seconds(seconds)) s)")
            }
        }
    }

    /// Seconds for `scoreBatch` over every case's user and history, `batchSize` users per call into
    /// one reused `[batchSize, numItems]` buffer, on the calling thread.
    static func timeScoring(_ scorer: any Recommender, cases: [EvaluationCase], batchSize: Int) -> Double {
        let batches = stride(from: 0, to: cases.count, by: batchSize).map { cases[$0..<min($0 + batchSize, cases.count)] }
        let inputs = batches.map { batch in (users: batch.map(\.user), histories: batch.map(\.history)) }
        var scores = [Float](repeating: 0, count: batchSize * scorer.numItems)
        return scores.withUnsafeMutableBufferPointer { scores in
            Stopwatch.time {
                for input in inputs {
                    let rows = UnsafeMutableBufferPointer(rebasing: scores[..<(input.users.count * scorer.numItems)])
                    scorer.scoreBatch(users: input.users, histories: input.histories, into: rows)
                }
            }.seconds
        }
    }
}
