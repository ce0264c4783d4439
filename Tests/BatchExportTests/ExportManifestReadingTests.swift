import BatchExport
import FeatureStore
import Foundation
import XCTest

/// Manifests that `llmrec export --verify` and a resumed export read back (README "Reliability:
/// fuzzing"): what the fuzz target found, kept as tests. The inputs are written out here (this test
/// target has no resource folder).
final class ExportManifestReadingTests: XCTestCase {
    private func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("manifest-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// Writes one part file `part-<shard>-of-<shards>-00000.jsonl` and the shard's manifest listing it
    /// (`users`, `partName` and `partUsers` as given, so a test can break them).
    @discardableResult
    private func writeShard(_ shard: Int, of shards: Int, in folder: URL, users: String = "1", partName: String? = nil,
                            partUsers: String = "1") throws -> URL {
        let name = "part-\(shard)-of-\(shards)-00000.jsonl"
        let row = Data("{\"user\":\"\(shard)\",\"items\":[\"242\"],\"scores\":[0.5]}\n".utf8)
        try row.write(to: folder.appendingPathComponent(name))
        let manifest = """
        {"job": {"dataset": "ml-100k", "datasetVersion": 1, "model": "ease", "modelVersion": 1, "k": 1,
                 "format": "jsonl", "shard": "\(shard)/\(shards)", "partSize": 1000, "excludeHistory": true,
                 "numUsers": 943, "numItems": 1682},
         "fingerprint": "f",
         "parts": [{"name": "\(partName ?? name)", "users": \(partUsers), "rows": 1, "bytes": \(row.count),
                    "sha256": "\(SHA256.hexDigest(of: row))", "fingerprint": "f"}],
         "users": \(users), "rows": 1,
         "startedAt": "2025-01-02T03:04:05Z", "finishedAt": "2025-01-02T03:04:06Z"}
        """
        let url = folder.appendingPathComponent("manifest-\(shard)-of-\(shards).json")
        try Data(manifest.utf8).write(to: url)
        return url
    }

    private func assertBadManifest<T>(_ expression: @autoclosure () throws -> T, path: URL, reason: String,
                                   file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try expression(), file: file, line: line) { error in
            XCTAssertEqual(error as? ExportError, .badManifest(path: path.path, reason: reason), file: file, line: line)
            XCTAssertFalse("\(error)".contains("\n"), "one line: \(error)", file: file, line: line)
        }
    }

    func testAGoodManifestVerifies() throws {
        let folder = try folder()
        try writeShard(0, of: 2, in: folder)
        try writeShard(1, of: 2, in: folder)
        let result = try ExportVerifier.verify(folder: folder, shards: 2)
        XCTAssertEqual([result.shards, result.parts, result.users, result.rows], [2, 2, 2, 2])
    }

    /// Found by the fuzzer at once: any damaged manifest escaped as a multi-line `DecodingError`.
    func testManifestThatIsNotJSONIsOneLineExportError() throws {
        let folder = try folder()
        let url = folder.appendingPathComponent("manifest-0-of-1.json")
        try Data("{\"job\": ".utf8).write(to: url)
        XCTAssertThrowsError(try ExportManifest.read(from: url)) { error in
            guard case .badManifest(let path, _)? = error as? ExportError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, url.path)
            XCTAssertFalse("\(error)".contains("\n"), "\(error)")
        }
        XCTAssertThrowsError(try ExportVerifier.verify(folder: folder, shards: 1)) { XCTAssertTrue($0 is ExportError, "\($0)") }
    }

    func testMissingAndMistypedFieldsNameTheField() throws {
        let folder = try folder()
        let url = try writeShard(0, of: 1, in: folder)
        let text = try String(contentsOf: url, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "\"fingerprint\": \"f\",\n", with: "").utf8).write(to: url)
        assertBadManifest(try ExportManifest.read(from: url), path: url, reason: "missing field fingerprint")
        try Data(text.replacingOccurrences(of: "\"users\": 1, \"rows\": 1,", with: "\"users\": \"1\", \"rows\": 1,").utf8).write(to: url)
        XCTAssertThrowsError(try ExportManifest.read(from: url)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(url.path) is not a valid export manifest: parts[0].users: "), "\(error)")
        }
    }

    /// A part name is joined to the folder: a manifest must not make `--verify` read other files.
    func testPartNamesMustBeFileNamesInTheFolder() throws {
        let folder = try folder()
        for name in ["../outside.jsonl", "/etc/passwd", "..", ""] {
            let url = try writeShard(0, of: 1, in: folder, partName: name)
            assertBadManifest(try ExportManifest.read(from: url), path: url,
                              reason: "part name \(String(reflecting: name)) is not a file name (expected part-<i>-of-<N>-<n>)")
        }
    }

    func testNegativeCountsAreRefused() throws {
        let folder = try folder()
        var url = try writeShard(0, of: 1, in: folder, users: "-1")
        assertBadManifest(try ExportManifest.read(from: url), path: url, reason: "negative users or rows (-1, 1)")
        url = try writeShard(0, of: 1, in: folder, partUsers: "-5")
        assertBadManifest(try ExportManifest.read(from: url), path: url,
                          reason: "part \"part-0-of-1-00000.jsonl\" has negative users, rows or bytes")
    }

    /// Summing the shards' users trapped on overflow (Int.max users in each of two manifests).
    func testUserCountsThatOverflowAreABadManifest() throws {
        let folder = try folder()
        try writeShard(0, of: 2, in: folder, users: "\(Int.max)")
        let second = try writeShard(1, of: 2, in: folder, users: "\(Int.max)")
        assertBadManifest(try ExportVerifier.verify(folder: folder, shards: 2), path: second,
                          reason: "users or rows too large (the shards add up to more than \(Int.max))")
    }
}
