import BatchExport
import FeatureStore
import ItemLLM
import Foundation
import LinearAlgebra
import Recommenders
import SeededRandom
import XCTest

/// The export engine on a small generated factor model: output rows against `topK`, shards, resume
/// after a lost part, and the store format.
final class ExportEngineTests: XCTestCase {
    private let model = FactorModel.random(users: 230, items: 97, factors: 8, seed: 11)

    private func source() -> ExportSource {
        ExportSource(scorer: model, userIDs: (0..<230).map { "u\($0 * 7)" }, itemIDs: (0..<97).map { "i\($0)" },
                     histories: (0..<230).map { user in (0..<(user % 5)).map { Int32((user + $0 * 13) % 97) } },
                     dataset: "synthetic", datasetVersion: 1, model: "factors", modelVersion: 3)
    }

    private func request(format: ExportFormat = .jsonl, shard: String = "0/1") throws -> ExportRequest {
        var request = ExportRequest(k: 10)
        request.format = format
        request.shard = try ShardSpec(parsing: shard)
        request.partSize = 40
        request.blockSize = 16
        return request
    }

    private func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("export-tests-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// Every line of every part file in `folder`, in part order.
    private func lines(in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("part-") }.sorted()
            .flatMap { try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8).split(separator: "\n").map(String.init) }
    }

    func testRowsAreTheReferenceTopKOfEveryUser() throws {
        let out = try folder()
        let summary = try ExportEngine(source: source(), request: request(), folder: out).run()
        XCTAssertEqual(summary.manifest.users, 230)
        XCTAssertEqual(summary.manifest.parts.count, 6)
        let rows = try lines(in: out)
        XCTAssertEqual(rows.count, 230)
        var scores = [Float](repeating: 0, count: 97)
        for user in [0, 1, 57, 229] {
            scores.withUnsafeMutableBufferPointer {
                model.scoreBatch(users: [Int32(user)], histories: [source().histories[user]], into: $0)
            }
            let best = scores.withUnsafeBufferPointer { topK($0, k: 10, excluding: source().histories[user]) }
            let items = best.map { "\"i\($0)\"" }.joined(separator: ",")
            XCTAssertTrue(rows[user].hasPrefix(#"{"user":"u\#(user * 7)","items":[\#(items)],"#), rows[user])
        }
    }

    func testShardsTogetherAreTheUnshardedExport() throws {
        let whole = try folder()
        _ = try ExportEngine(source: source(), request: request(), folder: whole).run()
        let sharded = try folder()
        for index in 0..<3 {
            _ = try ExportEngine(source: source(), request: request(shard: "\(index)/3"), folder: sharded).run()
        }
        // Byte for byte: written scores are recomputed in a fixed order, whatever the user's position
        // in its GEMM block (which changes with the shard).
        func parsed(_ lines: [String]) throws -> [String: (items: [String], scores: [Double])] {
            var rows: [String: (items: [String], scores: [Double])] = [:]
            for line in lines {
                let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                rows[try XCTUnwrap(object["user"] as? String)] = (try XCTUnwrap(object["items"] as? [String]),
                                                                  try XCTUnwrap(object["scores"] as? [Double]))
            }
            return rows
        }
        let (union, expected) = (try parsed(lines(in: sharded)), try parsed(lines(in: whole)))
        XCTAssertEqual(union.count, 230)
        XCTAssertEqual(Set(union.keys), Set(expected.keys))
        for (user, row) in expected {
            XCTAssertEqual(union[user]?.items, row.items, user)
            for (got, want) in zip(union[user]?.scores ?? [], row.scores) { XCTAssertEqual(got, want, user) }
        }
        XCTAssertEqual(try ExportVerifier.verify(folder: sharded, shards: 3).users, 230)
        XCTAssertThrowsError(try ExportVerifier.verify(folder: sharded, shards: 4))
    }

    func testRerunRecomputesOnlyLostPartsAndGivesTheSameBytes() throws {
        let out = try folder()
        let first = try ExportEngine(source: source(), request: request(format: .csv), folder: out).run()
        let original = try lines(in: out)
        XCTAssertEqual(original.first, "user,rank,item,score")
        let again = try ExportEngine(source: source(), request: request(format: .csv), folder: out).run()
        XCTAssertEqual(again.partsWritten, 0)
        // A run killed before the manifest: one part lost, the rest finished with their records.
        try FileManager.default.removeItem(at: first.manifestURL)
        try FileManager.default.removeItem(at: out.appendingPathComponent(first.manifest.parts[2].name))
        let resumed = try ExportEngine(source: source(), request: request(format: .csv), folder: out).run()
        XCTAssertEqual(resumed.partsWritten, 1)
        XCTAssertEqual(resumed.manifest.parts, first.manifest.parts)
        XCTAssertEqual(try lines(in: out), original)
    }

    func testStoreFormatServesOneUserInOneLookup() throws {
        let out = try folder()
        let store = try FeatureStore(path: out.appendingPathComponent("store").path)
        let summary = try ExportEngine(source: source(), request: request(format: .lmdb), folder: out.appendingPathComponent("out"),
                                       store: store).run()
        XCTAssertEqual(summary.manifest.rows, 230)
        let key = StoreKey.prefix("export/synthetic/factors/v3") + StoreKey.utf8("u21")
        let value = try XCTUnwrap(try store.read { try $0.get(.users, key: key) })
        XCTAssertTrue(String(decoding: value, as: UTF8.self).hasPrefix(#"{"user":"u21","items":["#))
        let rerun = try ExportEngine(source: source(), request: request(format: .lmdb), folder: out.appendingPathComponent("out"),
                                     store: store).run()
        XCTAssertEqual(rerun.partsReused, 6)
    }

    func testBadShardAndKAreOneLineErrors() throws {
        XCTAssertThrowsError(try ShardSpec(parsing: "3/2")) { XCTAssertTrue("\($0)".contains("0 to 1"), "\($0)") }
        XCTAssertThrowsError(try ShardSpec(parsing: "x")) { XCTAssertFalse("\($0)".contains("\n")) }
        XCTAssertThrowsError(try ExportEngine(source: source(), request: ExportRequest(k: 98), folder: folder())) {
            XCTAssertEqual($0 as? ExportError, .badK(k: 98, numItems: 97))
        }
    }
}

/// Trained models, through the fused dot-product kernel (iALS with fold-in vectors, SASRec and HLLM
/// with per-user states) or through their own scores (EASE's and ItemKNN's history row sums): their
/// shards are byte-identical to the unsharded export.
final class ExportEngineTrainedModelTests: XCTestCase {
    private let histories: [[Int32]] = (0..<230).map { (user: Int) -> [Int32] in
        (0..<(3 + user % 7)).map { (step: Int) -> Int32 in Int32((user * 3 + step * 11) % 97) }
    }

    /// Fits `model`, exports it whole and in three shards, and checks that the shards' lines are
    /// exactly the whole export's.
    private func assertShardsAreTheWholeExport(of model: any Recommender, file: StaticString = #filePath, line: UInt = #line) throws {
        try model.fit(TrainingData(numUsers: 230, numItems: 97, sequences: histories))
        let source = ExportSource(scorer: model, userIDs: (0..<230).map { "u\($0)" }, itemIDs: (0..<97).map { "i\($0)" },
                                  histories: histories, dataset: "synthetic", datasetVersion: 1, model: "m", modelVersion: 1)
        func export(shard: String) throws -> Set<String> {
            var request = ExportRequest(k: 10)
            request.shard = try ShardSpec(parsing: shard)
            request.partSize = 40
            request.blockSize = 16
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("export-trained-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            _ = try ExportEngine(source: source, request: request, folder: folder).run()
            var lines = Set<String>()
            for part in try FileManager.default.contentsOfDirectory(atPath: folder.path) where part.hasPrefix("part-") {
                let text = try String(contentsOf: folder.appendingPathComponent(part), encoding: .utf8)
                lines.formUnion(text.split(separator: "\n").map(String.init))
            }
            return lines
        }
        let whole = try export(shard: "0/1")
        let sharded = try (0..<3).map { try export(shard: "\($0)/3") }.reduce(into: Set<String>()) { $0.formUnion($1) }
        XCTAssertEqual(whole.count, 230, file: file, line: line)
        let differing = whole.symmetricDifference(sharded)
        XCTAssertTrue(differing.isEmpty, "\(differing.count) lines differ, e.g. \(differing.sorted().first ?? "")", file: file, line: line)
    }

    func testIALSShardsAreByteIdenticalToTheUnshardedExport() throws {
        try assertShardsAreTheWholeExport(of: IALS(config: IALS.Config(factors: 8, iterations: 3)))
    }

    func testEASEShardsAreByteIdenticalToTheUnshardedExport() throws {
        try assertShardsAreTheWholeExport(of: EASE(config: EASE.Config(l2: 30)))
    }

    func testItemKNNShardsAreByteIdenticalToTheUnshardedExport() throws {
        try assertShardsAreTheWholeExport(of: ItemKNN(config: ItemKNN.Config(neighbors: 20)))
    }

    func testSASRecShardsAreByteIdenticalToTheUnshardedExport() throws {
        let sasrec = SASRec(config: SASRec.Config(dim: 16, maxLength: 8, batchSize: 32, maxEpochs: 2, patience: 2))
        try assertShardsAreTheWholeExport(of: sasrec)
    }

    func testHLLMShardsAreByteIdenticalToTheUnshardedExport() throws {
        var random = SplitMix64(seed: 5)
        let table = (0..<(97 * 12)).map { _ in Float(random.nextUnit()) - 0.5 }
        let hllm = HLLM(config: HLLM.Config(dim: 16, maxLength: 8, batchSize: 32, maxEpochs: 2, patience: 2)) { _ in
            FrozenItemTextFeatures(table: table, dim: 12)
        }
        try assertShardsAreTheWholeExport(of: hllm)
    }
}
