import Datasets
import FeatureStore
import Foundation
import Recommenders
import XCTest

/// `--tie-break` as a user types it: every command that builds sequences takes it, it changes the
/// split, `train` records it for `recommend` and `export`, and a bad value is one error line.
final class TieBreakOptionTests: XCTestCase {
    private var llmrec: URL!
    private var directory: URL!
    private var store: String { directory.appendingPathComponent("store").path }

    override func setUpWithError() throws {
        llmrec = try TestEnvironment.llmrecExecutable()
        directory = try TestEnvironment.temporaryDirectory(for: self)
    }

    private func ingest() throws {
        try TestEnvironment.ingestMovieLens100K(into: store, with: llmrec)
    }

    private func run(_ arguments: [String]) throws -> CommandRun {
        try CommandRun.run(llmrec, arguments + ["--store", store, "--reports", directory.appendingPathComponent("reports").path])
    }

    func testCommandsThatBuildSequencesTakeTheOption() throws {
        for command in ["evaluate", "train", "simulate", "pipeline", "semantic-ids"] {
            let help = try CommandRun.run(llmrec, [command, "--help"])
            XCTAssertEqual(help.status, 0, help.standardError)
            XCTAssertTrue(help.standardOutput.contains("--tie-break <rule>"), "\(command): \(help.standardOutput)")
        }
    }

    func testTheRuleChangesTheSplitAndAnUnknownRuleIsOneErrorLine() throws {
        try ingest()
        let testMetrics = { (rule: [String]) throws -> [String: Double] in
            let evaluate = try self.run(["evaluate", "--model", "mostpop", "--json"] + rule)
            XCTAssertEqual(evaluate.status, 0, evaluate.standardError)
            let report = try JSONSerialization.jsonObject(with: Data(evaluate.standardOutput.utf8)) as? [String: Any]
            return try XCTUnwrap(report?["testMetrics"] as? [String: Double])
        }
        let byHash = try testMetrics([]), byItemID = try testMetrics(["--tie-break", "item-id"])
        XCTAssertEqual(byHash, try testMetrics(["--tie-break", "seeded-hash"]), "seeded-hash is the default")
        XCTAssertNotEqual(byHash["HR@10"], byItemID["HR@10"], "the rule decides 415 of the 943 test items")

        let bad = try run(["evaluate", "--model", "mostpop", "--tie-break", "random"])
        XCTAssertNotEqual(bad.status, 0)
        let errors = bad.standardError.split(separator: "\n").filter { $0.hasPrefix("Error:") }
        XCTAssertEqual(errors.count, 1, bad.standardError)
        XCTAssertTrue(errors.first?.contains("'random'") == true && errors.first?.contains("--tie-break") == true, bad.standardError)
    }

    /// The saved model records its rule, and loading it for serving orders the histories by it.
    func testTrainRecordsTheRuleThatServingUses() throws {
        try ingest()
        for (arguments, recorded) in [([], TieBreak.default), (["--tie-break", "item-id"], .itemID)] {
            let train = try CommandRun.run(llmrec, ["train", "--model", "mostpop", "--store", store] + arguments)
            XCTAssertEqual(train.status, 0, train.standardError)
            let readOnly = try FeatureStore(path: store, readOnly: true)
            let record = try XCTUnwrap(try readOnly.latestArtifact(named: "model/ml-100k/mostpop"))
            XCTAssertEqual(record.metadata["tieBreak"], recorded.description)
            let served = try TrainedModel.load(from: readOnly, dataset: "ml-100k", model: "mostpop")
            XCTAssertEqual(served.histories, served.dataset.chronologicalSequences(tieBreak: recorded))
            XCTAssertNotEqual(served.histories, served.dataset.chronologicalSequences(tieBreak: recorded == .itemID ? .default : .itemID))
            let recommend = try CommandRun.run(llmrec, ["recommend", "1", "--model", "mostpop", "-k", "3", "--store", store])
            XCTAssertEqual(recommend.status, 0, recommend.standardError)
        }
    }
}
