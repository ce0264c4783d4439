import Datasets
import Evaluation
import Foundation
import Recommenders

/// The total cost of one SASRec model selection on Amazon Office (leave-one-out) against one fit:
/// `ModelSelection.run` over the registry's SASRec grid (successive halving, every configuration
/// fit on train + validation), then the chosen configuration fit once more, alone, on train +
/// validation, which is the work halving's winner did by itself. The ratio of the two is what the
/// search adds over knowing the configuration in advance; the ratio of their epochs is the same
/// cost independent of the machine.
struct SearchBenchmarkResult: Codable {
    /// One configuration of the search.
    struct Point: Codable {
        var config: [String: String]
        /// Epochs it trained in the search.
        var epochs: Int
        /// Its validation NDCG@10 (the winner's from the evaluator, the others' from early stopping).
        var validationNDCG10: Double
        /// Why it stopped (e.g. "dropped after rung 1"); nil for the winner.
        var note: String?
    }

    /// Office's users, items and interactions.
    var users: Int
    var items: Int
    var interactions: Int
    /// The cap on every configuration's epochs (`--search-max-epochs`), nil for the registry's own.
    var maxEpochs: Int?
    /// Every configuration, in grid order.
    var points: [Point]
    /// The whole search's seconds (`timings["fit"]` of the report: every configuration's training).
    var searchSeconds: Double
    /// The chosen configuration, the epochs it trained and its mean seconds per epoch in the search.
    var winnerConfig: [String: String]
    var winnerEpochs: Int
    var winnerSecondsPerEpoch: Double
    /// The chosen configuration fit alone on train + validation: seconds and epochs.
    var fitSeconds: Double
    var fitEpochs: Int
    /// The chosen configuration's validation and test NDCG@10 (from the search's fit).
    var validationNDCG10: Double
    var testNDCG10: Double

    /// Epochs trained over all configurations.
    var searchEpochs: Int { points.reduce(0) { $0 + $1.epochs } }

    /// Runs the search and the single fit on the LC-Rec folder `officeDirectory`, every
    /// configuration capped at `maxEpochs` when given; nil, with one progress line, when the
    /// folder is absent.
    static func measure(officeDirectory: String, maxEpochs: Int?) throws -> SearchBenchmarkResult? {
        guard FileManager.default.fileExists(atPath: officeDirectory) else {
            progress("search: skipped, \(officeDirectory) is absent")
            return nil
        }
        progress("search: sasrec model selection on Office (leave-one-out)")
        let dataset = try loadDataset(at: officeDirectory, name: "office").dataset
        let split = Experiment(dataset: dataset).split
        let candidates = try ModelRegistry.candidates(for: SASRec.modelName,
                                                      overrides: maxEpochs.map { ["maxEpochs": String($0)] } ?? [:])
        let report = try ModelSelection().run(candidates: candidates, split: split, dataset: dataset.name,
                                              onEvent: ModelResult.progressLines(model: SASRec.modelName))
        guard let winner = candidates.first(where: { $0.config == report.config }) else {
            preconditionFailure("the chosen configuration is one of the candidates")
        }
        progress("search: one fit of the chosen configuration")
        let model = winner.make()
        let data = TrainingData(numUsers: split.numUsers, numItems: split.numItems, sequences: split.trainAndValidation)
        let fitSeconds = try Stopwatch.time { try model.fit(data) }.seconds
        let ndcg = MetricKey.ndcg(at: 10)
        return SearchBenchmarkResult(
            users: split.numUsers, items: split.numItems, interactions: dataset.interactions.count, maxEpochs: maxEpochs,
            points: report.grid.map { Point(config: $0.config, epochs: $0.epochs ?? 0,
                                            validationNDCG10: $0.validationMetrics[ndcg] ?? .nan, note: $0.note) },
            searchSeconds: report.timings["fit"] ?? .nan, winnerConfig: report.config,
            winnerEpochs: report.counts["epochsRun"] ?? 0, winnerSecondsPerEpoch: report.timings["secondsPerEpoch"] ?? .nan,
            fitSeconds: fitSeconds, fitEpochs: model.fitSummary.counts["epochsRun"] ?? 0,
            validationNDCG10: report.validationMetrics[ndcg] ?? .nan, testNDCG10: report.testMetrics[ndcg] ?? .nan)
    }

    /// The section's markdown: the totals, then each configuration.
    func markdownSection() -> String {
        var table = MarkdownTable(
            header: ["configurations", "search (s)", "search epochs", "winner dropout", "winner maxLength", "winner epochs",
                     "one fit (s)", "one fit epochs", "search / fit (s)", "search / fit (epochs)", "valid NDCG@10",
                     "test NDCG@10"],
            rightAligned: Set(0...11))
        table.rows = [["\(points.count)", MarkdownTable.decimal(searchSeconds, digits: 1), "\(searchEpochs)",
                       winnerConfig["dropout"] ?? "–", winnerConfig["maxLength"] ?? "–", "\(winnerEpochs)",
                       MarkdownTable.decimal(fitSeconds, digits: 1), "\(fitEpochs)",
                       MarkdownTable.decimal(searchSeconds / fitSeconds, digits: 2),
                       MarkdownTable.decimal(Double(searchEpochs) / Double(fitEpochs), digits: 2),
                       MarkdownTable.metric(validationNDCG10), MarkdownTable.metric(testNDCG10)]]
        var grid = MarkdownTable(header: ["dropout", "maxLength", "epochs", "valid NDCG@10", "note"], rightAligned: [0, 1, 2, 3])
        grid.rows = points.map { [$0.config["dropout"] ?? "–", $0.config["maxLength"] ?? "–", "\($0.epochs)",
                                  MarkdownTable.metric($0.validationNDCG10), $0.note ?? "chosen"] }
        let cap = maxEpochs.map { ", every configuration capped at \($0) epochs by --search-max-epochs" } ?? ""
        return "## Model selection cost: SASRec on Amazon Office (leave-one-out\(cap))\n\n"
            + "\(MarkdownTable.grouped(users)) users, \(MarkdownTable.grouped(items)) items, "
            + "\(MarkdownTable.grouped(interactions)) interactions. Search: `ModelSelection.run` over SASRec's "
            + "\(points.count)-point grid (successive halving on train + validation), training only. One fit: the chosen "
            + "configuration fit alone on train + validation, timed (the search's winner averaged "
            + "\(MarkdownTable.decimal(winnerSecondsPerEpoch, digits: 2)) s per epoch). The epoch ratio is the "
            + "machine-independent cost.\n\n"
            + table.rendered() + "\n" + grid.rendered()
    }
}
