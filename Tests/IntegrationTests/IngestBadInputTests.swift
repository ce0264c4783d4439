import FeatureStore
import Foundation
import XCTest

/// `llmrec ingest` on bad input: a one-line error naming the file (and the line, where there is
/// one), a non-zero exit, and a store left exactly as it was.
final class IngestBadInputTests: XCTestCase {
    private let badFixtures = TestEnvironment.repositoryRoot.appendingPathComponent("Tests/DatasetsTests/Fixtures/bad")

    private struct BadCase {
        var path: String
        var arguments: [String] = []
        var expectedFragment: String
    }

    func testEveryBadInputFailsCleanlyAndLeavesTheStoreUnchanged() throws {
        let llmrec = try TestEnvironment.llmrecExecutable()
        let directory = try TestEnvironment.temporaryDirectory(for: self)
        let storePath = directory.appendingPathComponent("store").path
        let seeded = try CommandRun.run(llmrec, ["ingest", try TestEnvironment.movieLens100K(), "--name", "ml-100k",
                                                 "--store", storePath])
        XCTAssertEqual(seeded.status, 0, seeded.standardError)
        let before = try StoreSnapshot(of: FeatureStore(path: storePath, readOnly: true))

        let bad = { (name: String) in self.badFixtures.appendingPathComponent(name).path }
        let cases = [
            BadCase(path: bad("empty.csv"), arguments: ["--format", "movielens-csv"], expectedFragment: "empty.csv"),
            BadCase(path: bad("truncated.csv"), expectedFragment: "truncated.csv:"),
            BadCase(path: bad("field-count.csv"), expectedFragment: "field-count.csv:"),
            BadCase(path: bad("bad-rating.csv"), expectedFragment: "bad-rating.csv:"),
            BadCase(path: bad("bad-timestamp.csv"), expectedFragment: "bad-timestamp.csv:"),
            BadCase(path: bad("invalid-utf8.json"), arguments: ["--format", "amazon-2018"], expectedFragment: "invalid-utf8.json:"),
            BadCase(path: bad("corrupt.csv.gz"), arguments: ["--format", "movielens-csv"], expectedFragment: "corrupt.csv.gz"),
            BadCase(path: directory.path, arguments: ["--format", "movielens-csv"], expectedFragment: directory.lastPathComponent),
            BadCase(path: directory.appendingPathComponent("missing.csv").path, arguments: ["--format", "movielens-csv"],
                    expectedFragment: "missing.csv"),
        ]
        for bad in cases {
            let run = try CommandRun.run(llmrec, ["ingest", bad.path, "--name", "bad", "--store", storePath] + bad.arguments)
            let name = URL(fileURLWithPath: bad.path).lastPathComponent
            XCTAssertNotEqual(run.status, 0, "\(name) was accepted")
            let errorLines = run.standardError.split(separator: "\n").filter { $0.hasPrefix("Error:") }
            XCTAssertEqual(errorLines.count, 1, "\(name): \(run.standardError)")
            XCTAssertTrue(errorLines.first?.contains(bad.expectedFragment) == true, "\(name): \(run.standardError)")
            XCTAssertEqual(try StoreSnapshot(of: FeatureStore(path: storePath, readOnly: true)), before,
                           "\(name) changed the store")
        }
    }

    func testSkipBadLinesStoresTheGoodLinesAndReportsTheBadOnes() throws {
        let llmrec = try TestEnvironment.llmrecExecutable()
        let storePath = try TestEnvironment.temporaryDirectory(for: self).appendingPathComponent("store").path
        let file = badFixtures.appendingPathComponent("two-bad-lines.csv").path
        let strict = try CommandRun.run(llmrec, ["ingest", file, "--name", "t", "--store", storePath])
        XCTAssertNotEqual(strict.status, 0)
        let lenient = try CommandRun.run(llmrec, ["ingest", file, "--name", "t", "--store", storePath, "--skip-bad-lines"])
        XCTAssertEqual(lenient.status, 0, lenient.standardError)
        XCTAssertTrue(lenient.standardOutput.contains("skipped:      2 bad lines"), lenient.standardOutput)
        XCTAssertEqual(try FeatureStore(path: storePath, readOnly: true).datasetMetadata(named: "t")?.skippedLines, 2)
    }
}
