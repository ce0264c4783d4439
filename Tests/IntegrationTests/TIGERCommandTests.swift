import Foundation
import XCTest

/// `llmrec evaluate | train | recommend | export --model tiger` as a user runs them on MovieLens-100K:
/// without semantic IDs the commands say to run `llmrec semantic-ids`; with them TIGER beats random,
/// a trained TIGER is served deterministically without the history, sharded exports rank as the
/// unsharded one byte for byte at any block size, and bad settings are one error line.
///
/// The item LLM embeddings and semantic IDs are built once for the class in a template store that
/// every test copies.
final class TIGERCommandTests: XCTestCase {
    /// The template store: ingested, asked for TIGER before semantic IDs existed, then given them.
    private struct Template {
        var root: URL
        var store: URL
        /// `evaluate --model tiger` before `llmrec semantic-ids` ran.
        var evaluateWithoutCodes: CommandRun
        /// Whether that run left a report behind.
        var reportWrittenWithoutCodes: Bool
        /// `llmrec semantic-ids --dataset ml-100k`.
        var semanticIDs: CommandRun
    }

    private static var template: Template?

    /// Two epochs that learn something: at the default batch of 128 users an epoch of MovieLens-100K
    /// is 8 steps, all inside the 20-step warm-up (test NDCG@10 0.004, near chance); 32 users a
    /// step without warm-up reaches about 0.02 in the same time.
    private static let quickTraining = ["--set", "maxEpochs=2", "--set", "batchSize=32", "--set", "warmupSteps=0"]

    private var llmrec: URL!
    private var directory: URL!

    override func setUpWithError() throws {
        llmrec = try TestEnvironment.llmrecExecutable()
        directory = try TestEnvironment.temporaryDirectory(for: self)
    }

    override class func tearDown() {
        if let root = template?.root { try? FileManager.default.removeItem(at: root) }
        template = nil
        super.tearDown()
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

    /// The class's template store, built on first use.
    private func sharedTemplate() throws -> Template {
        if let template = Self.template { return template }
        let itemLLM = try itemLLMFolder()
        let movieLens = try TestEnvironment.movieLens100K()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("llmrec-tiger-template-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let store = root.appendingPathComponent("store")
        let reports = root.appendingPathComponent("reports")
        let ingest = try CommandRun.run(llmrec, ["ingest", movieLens, "--name", "ml-100k", "--store", store.path])
        guard ingest.status == 0 else {
            XCTFail("ingest failed: \(ingest.standardError)")
            throw XCTSkip("no store")
        }
        let evaluate = try CommandRun.run(llmrec, ["evaluate", "--model", "tiger", "--set", "maxEpochs=2", "--store", store.path,
                                                   "--item-llm", itemLLM, "--reports", reports.path])
        let reportWritten = FileManager.default.fileExists(atPath: reports.appendingPathComponent("ml-100k/tiger.json").path)
        let semanticIDs = try CommandRun.run(llmrec, ["semantic-ids", "--dataset", "ml-100k", "--store", store.path,
                                                      "--item-llm", itemLLM, "--reports", reports.path])
        let built = Template(root: root, store: store, evaluateWithoutCodes: evaluate, reportWrittenWithoutCodes: reportWritten,
                             semanticIDs: semanticIDs)
        Self.template = built
        return built
    }

    /// A copy of the template store (with semantic IDs) in this test's directory.
    private func storeWithSemanticIDs() throws -> String {
        let template = try sharedTemplate()
        XCTAssertEqual(template.semanticIDs.status, 0, template.semanticIDs.standardError)
        guard template.semanticIDs.status == 0 else { throw XCTSkip("no semantic IDs") }
        let store = directory.appendingPathComponent("store")
        try FileManager.default.copyItem(at: template.store, to: store)
        return store.path
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// `llmrec` with `arguments`, on `store`, with the item LLM (tiger attaches its embeddings to
    /// find the stored codes) unless the command does not take it.
    private func run(_ arguments: [String], store: String, itemLLM: Bool = true) throws -> CommandRun {
        try CommandRun.run(llmrec, arguments + ["--store", store] + (itemLLM ? ["--item-llm", try itemLLMFolder()] : []))
    }

    /// The lines of `run`'s stderr that start with `Error:`.
    private func errorLines(_ run: CommandRun) -> [Substring] {
        run.standardError.split(separator: "\n").filter { $0.hasPrefix("Error:") }
    }

    /// Each user's items in MovieLens-100K (raw ids), from the source file.
    private func histories() throws -> [String: Set<String>] {
        let file = URL(fileURLWithPath: try TestEnvironment.movieLens100K()).appendingPathComponent("ml-100k.inter")
        var result: [String: Set<String>] = [:]
        for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n").dropFirst() {
            let fields = line.split(separator: "\t")
            guard fields.count >= 2 else { continue }
            result[String(fields[0]), default: []].insert(String(fields[1]))
        }
        return result
    }

    private func report(_ folder: String, model: String) throws -> [String: Any] {
        let url = URL(fileURLWithPath: folder).appendingPathComponent("ml-100k/\(model).json")
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any], url.path)
    }

    private func ndcg10OnTest(_ report: [String: Any]) throws -> Double {
        try XCTUnwrap(((report["testMetrics"] as? [String: Any])?["NDCG@10"] as? NSNumber)?.doubleValue, "no test NDCG@10")
    }

    // MARK: - 1. evaluate

    func testEvaluateNeedsSemanticIDsThenBeatsRandom() throws {
        let template = try sharedTemplate()
        let before = template.evaluateWithoutCodes
        XCTAssertNotEqual(before.status, 0, "evaluate --model tiger ran without semantic IDs: \(before.standardOutput)")
        let errors = errorLines(before)
        XCTAssertEqual(errors.count, 1, before.standardError)
        XCTAssertTrue(errors.first?.contains("llmrec semantic-ids") == true, before.standardError)
        XCTAssertFalse(before.standardError.contains("Usage:"), before.standardError)
        XCTAssertFalse(template.reportWrittenWithoutCodes, "a failed evaluate wrote reports/ml-100k/tiger.json")
        print("tiger evaluate without semantic IDs: \(errors.first ?? "")")

        let store = try storeWithSemanticIDs()
        let reports = path("reports")
        let start = Date()
        let evaluate = try run(["evaluate", "--model", "tiger", "--reports", reports] + Self.quickTraining, store: store)
        let evaluateSeconds = Date().timeIntervalSince(start)
        XCTAssertEqual(evaluate.status, 0, evaluate.standardError)
        let random = try run(["evaluate", "--model", "random", "--reports", reports], store: store, itemLLM: false)
        XCTAssertEqual(random.status, 0, random.standardError)

        let tiger = try report(reports, model: "tiger")
        XCTAssertEqual(tiger["model"] as? String, "tiger")
        XCTAssertEqual(tiger["dataset"] as? String, "ml-100k")
        let config = try XCTUnwrap(tiger["config"] as? [String: String], "config is not a string map")
        XCTAssertEqual(config["beamWidth"], "50")
        XCTAssertEqual(config["maxEpochs"], "2")
        XCTAssertEqual(config["batchSize"], "32")
        XCTAssertEqual(config["validationBeamWidth"], "10")
        XCTAssertFalse((config["semanticIDs"] ?? "").isEmpty, "the report does not name the semantic IDs: \(config)")
        XCTAssertEqual((tiger["counts"] as? [String: Any])?["testCases"] as? Int, 943)
        let tigerNDCG = try ndcg10OnTest(tiger)
        let randomNDCG = try ndcg10OnTest(try report(reports, model: "random"))
        XCTAssertGreaterThan(tigerNDCG, 0.01, "TIGER after 2 epochs is at chance")
        XCTAssertGreaterThan(tigerNDCG, randomNDCG)
        print(String(format: "tiger evaluate: test NDCG@10 %.4f (random %.4f), %.1f s; semantic IDs: %@", tigerNDCG, randomNDCG,
                     evaluateSeconds, config["semanticIDs"] ?? ""))
    }

    // MARK: - 2. train, recommend, export

    /// `(raw item id, score text)` of each entry `recommend` printed.
    private func recommendations(_ run: CommandRun) -> [(item: String, score: String)] {
        run.standardOutput.split(separator: "\n").compactMap { line in
            // "  1.  -2.3456  [50] Star Wars (1977) — ..."
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 3, fields[0].hasSuffix("."), Int(fields[0].dropLast()) != nil,
                  fields[2].hasPrefix("["), let close = fields[2].firstIndex(of: "]") else { return nil }
            return (String(fields[2][fields[2].index(after: fields[2].startIndex)..<close]), String(fields[1]))
        }
    }

    /// Every jsonl row under `out` (all shards' parts), by raw user id.
    private func exportedRows(_ out: String) throws -> [String: (line: String, items: [String], scores: [Double?])] {
        let folder = directory.appendingPathComponent(out)
        var rows: [String: (line: String, items: [String], scores: [Double?])] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasPrefix("part-") {
            let text = String(decoding: try Data(contentsOf: folder.appendingPathComponent(name)), as: UTF8.self)
            for line in text.split(separator: "\n") {
                let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
                let user = try XCTUnwrap(object["user"] as? String)
                let items = try XCTUnwrap(object["items"] as? [String])
                let scores = try XCTUnwrap(object["scores"] as? [Any]).map { ($0 as? NSNumber)?.doubleValue }
                XCTAssertNil(rows[user], "user \(user) exported twice")
                rows[user] = (String(line), items, scores)
            }
        }
        return rows
    }

    func testTrainedTIGERIsServedDeterministicallyAndShardsAreExact() throws {
        let store = try storeWithSemanticIDs()
        let train = try run(["train", "--model", "tiger"] + Self.quickTraining, store: store)
        XCTAssertEqual(train.status, 0, train.standardError)
        XCTAssertTrue(train.standardOutput.contains("beamWidth = 50"), train.standardOutput)
        let histories = try histories()

        // recommend loads the saved model (the store copy alone: no item LLM, no training).
        var served: [String: [(item: String, score: String)]] = [:]
        for user in ["1", "405"] {  // 272 and 737 ratings
            let first = try run(["recommend", user, "--model", "tiger", "-k", "10"], store: store, itemLLM: false)
            XCTAssertEqual(first.status, 0, first.standardError)
            let second = try run(["recommend", user, "--model", "tiger", "-k", "10"], store: store, itemLLM: false)
            XCTAssertEqual(second.status, 0, second.standardError)
            XCTAssertEqual(second.standardOutput, first.standardOutput, "user \(user): two loads of one model disagree")
            let list = recommendations(first)
            served[user] = list
            XCTAssertEqual(list.count, 10, first.standardOutput)
            XCTAssertEqual(Set(list.map(\.item)).count, list.count, "user \(user): an item twice: \(first.standardOutput)")
            let seen = try XCTUnwrap(histories[user])
            for entry in list {
                XCTAssertFalse(seen.contains(entry.item), "user \(user): \(entry.item) is in the history: \(first.standardOutput)")
            }
            print("tiger recommend \(user): \(list.map { "\($0.item) \($0.score)" }.joined(separator: ", "))")
        }

        // Exports of the whole catalogue and of two shards (every user of a shard in one block), of
        // the whole with one user per block, and with K above the beam width.
        func export(_ out: String, _ extra: [String] = []) throws {
            // The default part size: one part. The engine pads a part's last block to the block size
            // (1,024 users here), so parts of 200 users would beam-search 5 x 1,024 users.
            let run = try run(["export", "--model", "tiger", "--out", path(out)] + (extra.contains("-k") ? [] : ["-k", "10"]) + extra,
                              store: store, itemLLM: false)
            XCTAssertEqual(run.status, 0, "\(out) \(extra): \(run.standardError)")
        }
        let start = Date()
        try export("whole")
        let exportSeconds = Date().timeIntervalSince(start)
        try export("whole-1", ["--block-size", "1"])
        for shard in ["0/2", "1/2"] { try export("sharded", ["--shard", shard]) }
        try export("whole-60", ["-k", "60"])
        let verify = try CommandRun.run(llmrec, ["export", "--verify", "--shards", "2", "--out", path("sharded")])
        XCTAssertEqual(verify.status, 0, verify.standardError)
        XCTAssertTrue(verify.standardOutput.contains("943 users"), verify.standardOutput)

        // Shards, and any block size, give every user's row byte for byte (TIGER searches each
        // user on its own, so no user's rounding depends on the others in its block).
        let wholeRows = try exportedRows("whole")
        XCTAssertEqual(wholeRows.count, 943)
        for (label, rows) in [("2 shards", try exportedRows("sharded")), ("one user per block", try exportedRows("whole-1"))] {
            XCTAssertEqual(Set(rows.keys), Set(wholeRows.keys), label)
            let differing = wholeRows.filter { rows[$0.key]?.line != $0.value.line }
            XCTAssertTrue(differing.isEmpty, "\(label): \(differing.count) rows differ from the whole export, e.g. "
                          + "\(differing.first.map { "\($0.value.line) vs \(rows[$0.key]?.line ?? "none")" } ?? "")")
        }

        // Every row: K distinct unseen items; finite scores, best first, before any null (-inf).
        var usersWithNull: [(user: String, history: Int, finite: Int)] = []
        for (user, row) in wholeRows {
            let seen = try XCTUnwrap(histories[user])
            XCTAssertEqual(row.items.count, 10, "user \(user): \(row.line)")
            XCTAssertEqual(row.scores.count, row.items.count, row.line)
            XCTAssertEqual(Set(row.items).count, row.items.count, "user \(user): an item twice: \(row.line)")
            XCTAssertTrue(seen.isDisjoint(with: row.items), "user \(user): history item exported: \(row.line)")
            let finite = row.scores.prefix { $0 != nil }.map { $0! }
            XCTAssertTrue(row.scores.dropFirst(finite.count).allSatisfy { $0 == nil }, "user \(user): a score after a null: \(row.line)")
            XCTAssertTrue(finite.allSatisfy(\.isFinite), row.line)
            XCTAssertEqual(finite, finite.sorted(by: >), "user \(user): scores not best first: \(row.line)")
            if finite.count < row.scores.count { usersWithNull.append((user, seen.count, finite.count)) }
            // A beam of 50 holds at most |history| seen items: with 40 or fewer the 10 are all generated.
            if seen.count <= 40 {
                XCTAssertEqual(finite.count, 10, "user \(user) (\(seen.count) items) got a null score: \(row.line)")
            }
        }
        // K above the beam width: the rows are still K long, padded with null (-inf) scores after
        // the beam's unseen items (at most 50 finite), and begin with the K = 10 rows.
        var finiteAt60: [Int] = []
        for (user, row) in try exportedRows("whole-60") {
            XCTAssertEqual(row.items.count, 60, "user \(user): \(row.line)")
            XCTAssertEqual(Set(row.items).count, 60, "user \(user): an item twice: \(row.line)")
            XCTAssertTrue(try XCTUnwrap(histories[user]).isDisjoint(with: row.items), "user \(user): history item exported")
            let finite = row.scores.prefix { $0 != nil }.count
            XCTAssertTrue(row.scores.dropFirst(finite).allSatisfy { $0 == nil }, "user \(user): a score after a null: \(row.line)")
            XCTAssertLessThanOrEqual(finite, 50, "user \(user): more finite scores than the beam is wide")
            finiteAt60.append(finite)
            if let top = wholeRows[user] {
                XCTAssertEqual(Array(row.items.prefix(10)), top.items, "user \(user): K = 60 does not extend K = 10")
                XCTAssertEqual(Array(row.scores.prefix(10)), top.scores, "user \(user): K = 60 does not extend K = 10")
            }
        }
        finiteAt60.sort()

        // recommend (one user per call) serves the lists and scores of the export.
        for (user, list) in served {
            let row = try XCTUnwrap(wholeRows[user])
            XCTAssertEqual(row.items, list.map(\.item), "user \(user): recommend and export disagree")
            XCTAssertEqual(row.scores.map { $0.map { String(format: "%.4f", Double(Float($0))) } ?? "-inf" }, list.map(\.score),
                           "user \(user): recommend and export scores disagree")
        }
        usersWithNull.sort { $0.history < $1.history }
        print("tiger export: 943 users in \(String(format: "%.1f", exportSeconds)) s; "
              + "\(usersWithNull.count) users with fewer than 10 finite scores (null = -inf, not generated by the beam)"
              + (usersWithNull.isEmpty ? "" : "; shortest history among them \(usersWithNull[0].history) items, "
                 + "fewest finite \(usersWithNull.map(\.finite).min()!)")
              + "; at K = 60 finite scores per user: min \(finiteAt60.first ?? 0), median \(finiteAt60.isEmpty ? 0 : finiteAt60[finiteAt60.count / 2]), "
              + "max \(finiteAt60.last ?? 0)")
    }

    // MARK: - 3. bad input

    func testBadSettingsAreOneErrorLineAndWriteNothing() throws {
        let store = try storeWithSemanticIDs()
        let reports = path("reports")
        let cases: [(name: String, arguments: [String], fragment: String)] = [
            ("evaluate beamWidth 0", ["evaluate", "--model", "tiger", "--set", "beamWidth=0", "--reports", reports], "beamWidth"),
            ("evaluate beamWidth 5000", ["evaluate", "--model", "tiger", "--set", "beamWidth=5000", "--reports", reports], "beamWidth"),
            ("train beamWidth 0", ["train", "--model", "tiger", "--set", "beamWidth=0"], "beamWidth"),
            ("train beamWidth 5000", ["train", "--model", "tiger", "--set", "beamWidth=5000"], "beamWidth"),
            ("evaluate missing index file", ["evaluate", "--model", "tiger", "--semantic-ids-file", "/nonexistent",
                                             "--reports", reports], "/nonexistent"),
            ("train missing index file", ["train", "--model", "tiger", "--semantic-ids-file", "/nonexistent"], "/nonexistent"),
            ("unknown semantic IDs key", ["train", "--model", "tiger", "--semantic-ids", "rqvae-l3-k7-s1"], "llmrec semantic-ids"),
        ]
        for bad in cases {
            let start = Date()
            let run = try run(bad.arguments, store: store)
            let seconds = Date().timeIntervalSince(start)
            XCTAssertNotEqual(run.status, 0, "\(bad.name) was accepted")
            let errors = errorLines(run)
            XCTAssertEqual(errors.count, 1, "\(bad.name): \(run.standardError)")
            XCTAssertTrue(errors.first?.contains(bad.fragment) == true, "\(bad.name): expected '\(bad.fragment)' in: \(run.standardError)")
            XCTAssertFalse(run.standardError.contains("Usage:"), "\(bad.name): \(run.standardError)")
            XCTAssertLessThan(seconds, 30, "\(bad.name) trained before failing (\(seconds) s)")
            let otherLines = run.standardError.split(separator: "\n").filter { !$0.hasPrefix("Error:") }
            if !otherLines.isEmpty { print("\(bad.name): stderr besides the error: \(otherLines.joined(separator: " | "))") }
            print("\(bad.name): \(errors.first ?? "")")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: reports), "a refused evaluate wrote a report")
        let refused = try run(["recommend", "1", "--model", "tiger"], store: store, itemLLM: false)
        XCTAssertTrue(refused.standardError.contains("no trained tiger"), "a refused train saved a model: \(refused.standardError)")
    }
}
