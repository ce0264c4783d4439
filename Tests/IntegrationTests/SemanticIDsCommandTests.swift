import FeatureStore
import Foundation
import XCTest

/// `llmrec semantic-ids` as a user runs it: the same seed gives byte-identical codes in another
/// process (and a rerun reads them back from the store), bad input is one `Error:` line that leaves
/// the store as it was, and on the real Amazon Office data set llmrec's codes are unique and keep
/// text neighbours together far above chance, beside the published index.
final class SemanticIDsCommandTests: XCTestCase {
    private var llmrec: URL!
    private var directory: URL!

    override func setUpWithError() throws {
        llmrec = try TestEnvironment.llmrecExecutable()
        directory = try TestEnvironment.temporaryDirectory(for: self)
    }

    /// `Data/minilm`, failing the test with a hint when `make setup` has not run.
    private func itemLLMFolder(file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let folder = TestEnvironment.repositoryRoot.appendingPathComponent("Data/minilm")
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("model.safetensors").path) else {
            XCTFail("the item LLM is missing in \(folder.path): run `make setup`", file: file, line: line)
            throw XCTSkip("no item LLM")
        }
        return folder.path
    }

    /// Ingests MovieLens-100K as `ml-100k` into a new store `name` under the test's directory.
    private func ingestMovieLens(store name: String) throws -> String {
        let store = directory.appendingPathComponent(name).path
        try TestEnvironment.ingestMovieLens100K(into: store, with: llmrec)
        return store
    }

    /// `llmrec semantic-ids` on `store` with the item LLM and a scratch reports folder, plus `extra`.
    private func semanticIDs(store: String, _ extra: [String] = []) throws -> CommandRun {
        try CommandRun.run(llmrec, ["semantic-ids", "--store", store, "--item-llm", try itemLLMFolder(),
                                    "--reports", directory.appendingPathComponent("reports").path] + extra)
    }

    /// The `semantic IDs: ...` summary line of a run's stderr ("" when there is none).
    private func summaryLine(_ run: CommandRun) -> String {
        run.standardError.split(separator: "\n").last { $0.hasPrefix("semantic IDs:") }.map(String.init) ?? ""
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func testTheSameSeedGivesTheSameCodesInASecondProcessAndARerunReadsThemBack() throws {
        let storeA = try ingestMovieLens(store: "a")
        // Caches the item embeddings in store A; two levels is another settings key, so the default
        // codes are not stored yet.
        let warmUp = try semanticIDs(store: storeA, ["--levels", "2"])
        XCTAssertEqual(warmUp.status, 0, warmUp.standardError)
        let storeB = path("b")
        try FileManager.default.copyItem(atPath: storeA, toPath: storeB)

        let runA = try semanticIDs(store: storeA, ["--export", path("a.json")])
        let runB = try semanticIDs(store: storeB, ["--export", path("b.json")])
        for (name, run) in [("A", runA), ("B", runB)] {
            XCTAssertEqual(run.status, 0, "\(name): \(run.standardError)")
            XCTAssertTrue(summaryLine(run).contains("fitted"), "\(name) did not fit afresh: \(run.standardError)")
            XCTAssertFalse(run.standardError.contains("read from the store"), "\(name): \(run.standardError)")
        }
        let exportA = try Data(contentsOf: directory.appendingPathComponent("a.json"))
        XCTAssertEqual(exportA, try Data(contentsOf: directory.appendingPathComponent("b.json")),
                       "two processes with the same seed wrote different codes")

        let rerun = try semanticIDs(store: storeA, ["--export", path("a-again.json")])
        XCTAssertEqual(rerun.status, 0, rerun.standardError)
        XCTAssertTrue(summaryLine(rerun).contains("read from the store"), rerun.standardError)
        XCTAssertEqual(try Data(contentsOf: directory.appendingPathComponent("a-again.json")), exportA,
                       "the codes read back differ from the codes fitted")

        let index = try XCTUnwrap(try JSONSerialization.jsonObject(with: exportA) as? [String: [String]], "a.json is not an index file")
        XCTAssertEqual(index.count, 1_682)
        XCTAssertEqual(Set(index.keys), Set((1...1_682).map(String.init)))
        // Three levels plus the extra level that tells colliding items apart.
        XCTAssertTrue(index.values.allSatisfy { $0.count == 4 }, "not 4 tokens per item")
        for (level, letter) in ["a", "b", "c", "d"].enumerated() {
            XCTAssertTrue(index.values.allSatisfy { $0[level].hasPrefix("<\(letter)_") && $0[level].hasSuffix(">") },
                          "level \(level + 1) tokens are not <\(letter)_N>")
        }
        XCTAssertEqual(Set(index.values.map { $0.joined(separator: " ") }).count, 1_682, "codes are not unique")
    }

    private struct BadCase {
        var name: String
        var arguments: [String]
        var expectedFragment: String
    }

    func testBadInputIsOneErrorLineAndLeavesTheStoreUnchanged() throws {
        let store = try ingestMovieLens(store: "store")
        // Caches the item embeddings (and the default codes); the good index is the base of the
        // index with a catalogue item missing.
        let seeded = try semanticIDs(store: store, ["--export", path("good.json")])
        XCTAssertEqual(seeded.status, 0, seeded.standardError)
        var good = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("good.json")))
                                 as? [String: [String]])
        XCTAssertNotNil(good.removeValue(forKey: "1682"))
        try JSONSerialization.data(withJSONObject: good, options: .sortedKeys)
            .write(to: directory.appendingPathComponent("missing-item.index.json"))
        let before = try StoreSnapshot(of: FeatureStore(path: store, readOnly: true))

        func fixture(_ name: String) throws -> String {
            try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/semantic-ids/\(name)", withExtension: "json"), name).path
        }
        let cases = [
            BadCase(name: "unknown item", arguments: ["--import", try fixture("unknown-item.index")],
                    expectedFragment: "1 index item is not in the catalogue: \"99999\""),
            BadCase(name: "missing item", arguments: ["--import", path("missing-item.index.json")],
                    expectedFragment: "1 catalogue item has no code in the index: \"1682\""),
            BadCase(name: "ragged levels", arguments: ["--import", try fixture("ragged.index")],
                    expectedFragment: "ragged.index.json: line 2: item \"2\" has 2 codes, expected 3"),
            BadCase(name: "bad token", arguments: ["--import", try fixture("bad-token.index")],
                    expectedFragment: "bad-token.index.json: line 2: expected a code token"),
            BadCase(name: "codebook size 1", arguments: ["--codebook-size", "1"], expectedFragment: "--codebook-size must lie in 2...65536"),
            BadCase(name: "codebook size 70000", arguments: ["--codebook-size", "70000"],
                    expectedFragment: "--codebook-size must lie in 2...65536"),
            BadCase(name: "9 levels", arguments: ["--levels", "9"], expectedFragment: "--levels must lie in 1...8"),
            BadCase(name: "more codes than items", arguments: ["--codebook-size", "2000"],
                    expectedFragment: "a codebook of 2000 codes needs at least 2000 items, the catalogue has 1682"),
            BadCase(name: "unknown data set", arguments: ["--dataset", "nosuch"], expectedFragment: "no data set named \"nosuch\""),
            BadCase(name: "no index file", arguments: ["--import", path("absent.index.json")],
                    expectedFragment: "absent.index.json: no such file"),
        ]
        for bad in cases {
            let run = try semanticIDs(store: store, bad.arguments)
            XCTAssertNotEqual(run.status, 0, "\(bad.name) was accepted")
            let errorLines = run.standardError.split(separator: "\n").filter { $0.hasPrefix("Error:") }
            XCTAssertEqual(errorLines.count, 1, "\(bad.name): \(run.standardError)")
            XCTAssertTrue(errorLines.first?.contains(bad.expectedFragment) == true,
                          "\(bad.name): expected '\(bad.expectedFragment)' in: \(run.standardError)")
            XCTAssertEqual(try StoreSnapshot(of: FeatureStore(path: store, readOnly: true)), before, "\(bad.name) changed the store")
        }
    }

    func testAmazonOfficeCodesAreUniqueAndKeepTextNeighboursTogether() throws {
        let office = TestEnvironment.repositoryRoot.appendingPathComponent("../shared/data/amazon-office").standardized
        guard FileManager.default.fileExists(atPath: office.appendingPathComponent("Office.inter.json").path) else {
            throw XCTSkip("../shared/data/amazon-office is absent: the Amazon Office data set is not part of the repository")
        }
        let store = path("store")
        let ingest = try CommandRun.run(llmrec, ["ingest", office.path, "--name", "office", "--store", store])
        XCTAssertEqual(ingest.status, 0, ingest.standardError)
        for expected in ["format:       lc-rec", "users:        4,905", "items:        2,420", "interactions: 53,258",
                         "note:         timestamps are record positions"] {
            XCTAssertTrue(ingest.standardOutput.contains(expected), "expected '\(expected)' in: \(ingest.standardOutput)")
        }

        let reports = directory.appendingPathComponent("reports")  // where semanticIDs(store:) points --reports
        let run = try semanticIDs(store: store, ["--dataset", "office", "--import",
                                                 office.appendingPathComponent("Office.index.rq-kmeans.json").path])
        XCTAssertEqual(run.status, 0, run.standardError)
        print(run.standardOutput)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(
            with: Data(contentsOf: reports.appendingPathComponent("office/semantic-ids.json"))) as? [String: Any])
        XCTAssertEqual(report["dataset"] as? String, "office")
        let codeSets = try XCTUnwrap(report["codeSets"] as? [[String: Any]])
        XCTAssertEqual(codeSets.count, 2)
        guard codeSets.count == 2 else { return }
        let (own, imported) = (codeSets[0], codeSets[1])

        func levelOneUsage(_ set: [String: Any]) -> Double? {
            ((set["levels"] as? [[String: Any]])?.first?["usage"] as? NSNumber)?.doubleValue
        }
        XCTAssertEqual(own["items"] as? Int, 2_420)
        XCTAssertEqual(own["isUnique"] as? Bool, true)
        let collisions = try XCTUnwrap((own["collisionRateBeforeDeduplication"] as? NSNumber)?.doubleValue)
        XCTAssertLessThan(collisions, 0.6)
        XCTAssertGreaterThan(try XCTUnwrap(levelOneUsage(own)), 0.9)
        let neighbourhood = try XCTUnwrap(own["neighbourhood"] as? [[String: Any]])
        for depth in 1...2 {
            let row = try XCTUnwrap(neighbourhood.first { $0["depth"] as? Int == depth }, "no depth \(depth)")
            let share = try XCTUnwrap((row["share"] as? NSNumber)?.doubleValue)
            let chance = try XCTUnwrap((row["chance"] as? NSNumber)?.doubleValue)
            XCTAssertGreaterThan(chance, 0)
            XCTAssertGreaterThanOrEqual(share, 10 * chance, "depth \(depth): neighbours share \(share), chance \(chance)")
        }

        XCTAssertTrue((imported["name"] as? String)?.contains("Office.index.rq-kmeans.json") == true, "\(imported["name"] ?? "")")
        XCTAssertEqual(imported["items"] as? Int, 2_420)
        XCTAssertGreaterThan(try XCTUnwrap(levelOneUsage(imported)), 0.9)
    }

    /// `llmrec pipeline` (what `make run` runs) builds the semantic IDs beside the model reports, and
    /// the leaderboard reads that folder without mistaking the quality report for a model's.
    func testThePipelineBuildsSemanticIDsAndStillPrintsTheLeaderboard() throws {
        let reports = directory.appendingPathComponent("reports")
        let run = try CommandRun.run(llmrec, ["pipeline", "--data", try TestEnvironment.movieLens100K(), "--models", "mostpop,random",
                                              "--store", directory.appendingPathComponent("store").path,
                                              "--item-llm", try itemLLMFolder(), "--reports", reports.path])
        XCTAssertEqual(run.status, 0, run.standardError)
        XCTAssertTrue(run.standardError.contains("semantic IDs: 1,682 items"), run.standardError)
        XCTAssertTrue(FileManager.default.fileExists(atPath: reports.appendingPathComponent("ml-100k/semantic-ids.json").path))
        XCTAssertTrue(run.standardOutput.contains("| mostpop |") || run.standardOutput.contains("MostPop"), run.standardOutput)
    }
}
