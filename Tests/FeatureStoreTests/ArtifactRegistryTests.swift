import FeatureStore
import Foundation
import XCTest

final class ArtifactRegistryTests: XCTestCase {
    func testVersionsCountUpPerNameWithMetadataAndBlobs() throws {
        let store = try FeatureStore(path: makeTemporaryDirectory(self))
        XCTAssertNil(try store.latestArtifact(named: "emb"))
        XCTAssertEqual(try store.artifacts(named: "emb"), [])

        let first = try store.registerArtifact(named: "emb", path: "/models/emb-1.safetensors", metadata: ["dim": "384"])
        let other = try store.registerArtifact(named: "emb2", blob: [9, 9])
        let second = try store.registerArtifact(named: "emb", blob: [1, 2, 3], metadata: ["dim": "64", "títle": "ünïcode"])
        XCTAssertEqual([first.version, second.version, other.version], [1, 2, 1], "versions count per name; emb2 is not emb")

        XCTAssertEqual(try store.latestArtifact(named: "emb"), second)
        XCTAssertEqual(try store.artifact(named: "emb", version: 1), first)
        XCTAssertNil(try store.artifact(named: "emb", version: 3))
        XCTAssertEqual(try store.artifacts(named: "emb"), [first, second])
        XCTAssertEqual(first.path, "/models/emb-1.safetensors")
        XCTAssertNil(first.blobByteCount)
        XCTAssertEqual(second.blobByteCount, 3)
        XCTAssertEqual(second.metadata["títle"], "ünïcode")
        XCTAssertGreaterThanOrEqual(second.createdAt, first.createdAt)

        XCTAssertNil(try store.artifactBlob(named: "emb", version: 1))
        XCTAssertEqual(try store.artifactBlob(named: "emb", version: 2), [1, 2, 3])
        XCTAssertEqual(try store.artifactBlob(named: "emb2", version: 1), [9, 9])
    }

    func testVersionsGoPast255InNumericOrder() throws {
        let store = try FeatureStore(path: makeTemporaryDirectory(self))
        let last = try store.write { txn in
            try (1...300).map { _ in try txn.registerArtifact(named: "ckpt") }.last!
        }
        XCTAssertEqual(last.version, 300)
        XCTAssertEqual(try store.latestArtifact(named: "ckpt")?.version, 300)
        XCTAssertEqual(try store.artifacts(named: "ckpt").map(\.version), Array(1...300))
    }

    func testRegistrationInAbortedTransactionLeavesNoVersion() throws {
        struct Abort: Error {}
        let store = try FeatureStore(path: makeTemporaryDirectory(self))
        try store.registerArtifact(named: "sid")
        XCTAssertThrowsError(try store.write { txn in
            XCTAssertEqual(try txn.registerArtifact(named: "sid", blob: [1]).version, 2)
            throw Abort()
        })
        XCTAssertEqual(try store.latestArtifact(named: "sid")?.version, 1)
        XCTAssertEqual(try store.registerArtifact(named: "sid").version, 2)
    }

    func testInvalidNamesAreRejected() throws {
        let path = makeTemporaryDirectory(self)
        let store = try FeatureStore(path: path)
        for name in ["", "a\u{0}b"] {
            let error = thrownError { try store.registerArtifact(named: name) }
            guard case .invalidName(path, name, _)? = error as? StoreError else {
                return XCTFail("expected invalidName for \(String(reflecting: name)), got \(String(describing: error))")
            }
        }
    }
}
