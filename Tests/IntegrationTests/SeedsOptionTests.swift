import Foundation
import XCTest

/// `llmrec evaluate --seeds N` through the binary: the chosen configuration is fit with N seeds,
/// the report keeps each seed's metrics and their mean, the leaderboard shows the spread, and a
/// model without a seed is refused in one line.
final class SeedsOptionTests: XCTestCase {
    private var llmrec: URL!
    private var directory: URL!
    private var store: String { directory.appendingPathComponent("store").path }
    private var reports: String { directory.appendingPathComponent("reports").path }

    override func setUpWithError() throws {
        llmrec = try TestEnvironment.llmrecExecutable()
        directory = try TestEnvironment.temporaryDirectory(for: self)
        try TestEnvironment.ingestMovieLens100K(into: store, with: llmrec)
    }

    func testSeedsAreFitReportedAndAveraged() throws {
        let evaluate = try CommandRun.run(llmrec, ["evaluate", "--model", "ials", "--set", "factors=16", "--set", "alpha=10",
                                                   "--set", "regularization=10", "--set", "iterations=4", "--seeds", "3",
                                                   "--store", store, "--reports", reports])
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

        let leaderboard = try CommandRun.run(llmrec, ["leaderboard", "--reports", reports])
        XCTAssertEqual(leaderboard.status, 0, leaderboard.standardError)
        XCTAssertTrue(leaderboard.standardOutput.contains("| 3 (sd "), leaderboard.standardOutput)

        let refused = try CommandRun.run(llmrec, ["evaluate", "--model", "ease", "--seeds", "2", "--store", store,
                                                  "--reports", reports])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.standardError.contains("ease has no seed to vary"), refused.standardError)
    }
}
