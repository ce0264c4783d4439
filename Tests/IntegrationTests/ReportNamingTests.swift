import Foundation
import XCTest

/// Where `llmrec evaluate` files its reports is where `llmrec leaderboard` looks, through the
/// binary: the cold-start experiment's folder, and tagged runs of one model kept apart.
final class ReportNamingTests: XCTestCase {
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
}
