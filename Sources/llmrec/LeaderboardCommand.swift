import ArgumentParser
import Datasets
import Evaluation
import Foundation

struct LeaderboardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leaderboard",
        abstract: "Compare the saved reports of one data set.",
        discussion: """
        Reads <reports>/<dataset>/*.json written by `llmrec evaluate`, keeps those of the chosen \
        protocol, and prints them ranked by test NDCG@10 with 95% confidence intervals and the \
        paired t-test p-value of each model against the best one (same test users).
        """)

    @OptionGroup var experimentOptions: ExperimentOptions

    @Option(name: .long, help: "Also write an SVG bar chart of test NDCG@10 with confidence intervals here.")
    var svg: String?

    func run() throws {
        let markdown = try renderLeaderboard(experimentOptions: experimentOptions, svgPath: svg)
        print(markdown)
    }
}

/// The leaderboard of `--dataset` under `--protocol` as markdown; writes the SVG chart to `svgPath`.
func renderLeaderboard(experimentOptions: ExperimentOptions, svgPath: String?) throws -> String {
    let folder = experimentOptions.reportFolder
    guard FileManager.default.fileExists(atPath: folder.path) else {
        throw ValidationError("no reports in \(folder.path); run `llmrec evaluate --dataset \(experimentOptions.dataset) --model all"
                              + (experimentOptions.coldStart.map { " --cold-start \($0)" } ?? "") + "` first")
    }
    // Reports from before the tie rule was recorded were all made under the item-id rule.
    let tieBreak = experimentOptions.tieBreakOptions.tieBreak.description
    let reports = try EvaluationReport.loadAll(datasetDirectory: folder)
        .filter { $0.protocolName == experimentOptions.reportProtocol && ($0.tieBreak ?? TieBreak.itemID.description) == tieBreak }
    guard !reports.isEmpty else {
        throw ValidationError("no \(experimentOptions.reportProtocol) reports with --tie-break \(tieBreak) in \(folder.path)")
    }
    let leaderboard = Leaderboard(reports: reports)
    if let svgPath {
        try leaderboard.svgBarChart().write(toFile: svgPath, atomically: true, encoding: .utf8)
    }
    return leaderboard.markdown()
}

extension ExperimentOptions {
    /// The folder `evaluate` writes this experiment's reports to and the leaderboard reads:
    /// `<reports>/<dataset>` or `<reports>/<dataset>+cold-start` (`EvaluationReport.datasetDirectory`).
    var reportFolder: URL {
        EvaluationReport.datasetDirectory(reportsDirectory: reportsDirectory, dataset: reportDataset)
    }
}
