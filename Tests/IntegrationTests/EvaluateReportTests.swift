import Foundation
import XCTest

/// What `llmrec evaluate` writes and `llmrec leaderboard` reads, through the binary: the
/// cold-start experiment's folder, tagged runs of one model kept apart, and `--seeds N` (the
/// chosen configuration fit with N seeds, each seed's metrics and their mean reported, the spread
/// on the leaderboard, a model without a seed refused in one line).
final class EvaluateReportTests: XCTestCase {
    private var llmrec: URL!
    private var directory: URL!
    private var store: String { directory.appendingPathComponent("store").path }
    private var reports: String { directory.appendingPathComponent("reports").path }

    override func setUpWithError() throws {
        llmrec = try TestEnvironment.llmrecExecutable()
        directory = try TestEnvironment.temporaryDirectory(for: self)
        try TestEnvironment.ingestMovieLens100K(into: store, with: llmrec)
    }

    private func run(_ arguments: [String]) throws -> CommandRun {
        try CommandRun.run(llmrec, arguments + (arguments[0] == "leaderboard" ? [] : ["--store", store]) + ["--reports", reports])
    }

    func testColdStartLeaderboardReadsWhatEvaluateWrote() throws {
        let evaluate = try run(["evaluate", "--model", "mostpop", "--cold-start", "0.2"])
        XCTAssertEqual(evaluate.status, 0, evaluate.standardError)
        XCTAssertTrue(FileManager.default.fileExists(atPath: reports + "/ml-100k+cold-start/mostpop.json"))

        let leaderboard = try run(["leaderboard", "--cold-start", "0.2"])
        XCTAssertEqual(leaderboard.status, 0, leaderboard.standardError)
        XCTAssertTrue(leaderboard.standardOutput.contains("ml-100k+cold-start"), leaderboard.standardOutput)
        XCTAssertTrue(leaderboard.standardOutput.contains("| mostpop |"), leaderboard.standardOutput)

        // The report records its tie rule, and a leaderboard under the other rule does not mix it in.
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: reports + "/ml-100k+cold-start/mostpop.json")))
        XCTAssertEqual((report as? [String: Any])?["tieBreak"] as? String, "seeded-hash")
        let otherRule = try run(["leaderboard", "--cold-start", "0.2", "--tie-break", "item-id"])
        XCTAssertNotEqual(otherRule.status, 0)
        XCTAssertTrue(otherRule.standardError.contains("no leave-one-out+cold-start reports with --tie-break item-id"),
                      otherRule.standardError)
    }

    func testTaggedVariantsKeepTheirOwnReportsAndRows() throws {
        for (tag, l2) in [("strong", "3000"), ("weak", "30")] {
            let evaluate = try run(["evaluate", "--model", "ease", "--set", "l2=\(l2)", "--tag", tag])
            XCTAssertEqual(evaluate.status, 0, evaluate.standardError)
        }
        let untagged = try run(["evaluate", "--model", "ease", "--set", "l2=300"])
        XCTAssertEqual(untagged.status, 0, untagged.standardError)
        let files = try FileManager.default.contentsOfDirectory(atPath: reports + "/ml-100k").sorted()
        XCTAssertEqual(files, ["ease.json", "ease.strong.json", "ease.weak.json"])

        let leaderboard = try run(["leaderboard"])
        XCTAssertEqual(leaderboard.status, 0, leaderboard.standardError)
        for row in ["| ease |", "| ease.strong |", "| ease.weak |"] {
            XCTAssertTrue(leaderboard.standardOutput.contains(row), leaderboard.standardOutput)
        }

        let replaced = try run(["evaluate", "--model", "ease", "--set", "l2=1000"])
        XCTAssertTrue(replaced.standardError.contains("a report of another configuration (use --tag to keep both)"),
                      replaced.standardError)
        let badTag = try run(["evaluate", "--model", "ease", "--tag", "a/b"])
        XCTAssertNotEqual(badTag.status, 0)
        XCTAssertTrue(badTag.standardError.contains("--tag must be"), badTag.standardError)
    }

    func testSeedsAreFitReportedAndAveraged() throws {
        let evaluate = try run(["evaluate", "--model", "ials", "--set", "factors=16", "--set", "alpha=10",
                                "--set", "regularization=10", "--set", "iterations=4", "--seeds", "3"])
        XCTAssertEqual(evaluate.status, 0, evaluate.standardError)
        XCTAssertTrue(evaluate.standardOutput.contains("## Seeds"), evaluate.standardOutput)
        let data = try Data(contentsOf: URL(fileURLWithPath: reports + "/ml-100k/ials.json"))
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let runs = try XCTUnwrap(report["seedRuns"] as? [[String: Any]])
        XCTAssertEqual(runs.compactMap { $0["seed"] as? Int }, [0, 1, 2])
        let perSeed = runs.compactMap { ($0["testMetrics"] as? [String: Double])?["NDCG@10"] }
        XCTAssertEqual(perSeed.count, 3)
        XCTAssertGreaterThan(Set(perSeed).count, 1, "different seeds, different fits")
        let mean = try XCTUnwrap((report["testMetrics"] as? [String: Double])?["NDCG@10"])
        XCTAssertEqual(mean, perSeed.reduce(0, +) / 3, accuracy: 1e-12)
        let perUser = try XCTUnwrap(((report["perUserTest"] as? [String: Any])?["values"] as? [String: [Double]])?["NDCG@10"])
        XCTAssertEqual(perUser.reduce(0, +) / Double(perUser.count), mean, accuracy: 1e-9, "per-user values are the seed means")

        let leaderboard = try run(["leaderboard"])
        XCTAssertEqual(leaderboard.status, 0, leaderboard.standardError)
        XCTAssertTrue(leaderboard.standardOutput.contains("| 3 (sd "), leaderboard.standardOutput)

        let refused = try run(["evaluate", "--model", "ease", "--seeds", "2"])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.standardError.contains("ease has no seed to vary"), refused.standardError)
    }
}
