import FeatureStore
import Foundation
import SeededRandom
import XCTest

final class FeatureStoreTests: XCTestCase {
    func testPutGetDeleteRoundTrip() throws {
        let store = try FeatureStore(path: makeTemporaryDirectory(self) + "/nested/store")
        try store.write { txn in
            try txn.put(.items, key: StoreKey.utf8("a"), value: [1, 2, 3])
            try txn.put(.users, key: StoreKey.utf8("a"), value: [9])
            try txn.put(.items, key: StoreKey.utf8("b"), value: [UInt8]())
        }
        try store.read { txn in
            XCTAssertEqual(try txn.get(.items, key: StoreKey.utf8("a")), [1, 2, 3])
            XCTAssertEqual(try txn.get(.users, key: StoreKey.utf8("a")), [9], "tables are separate")
            XCTAssertEqual(try txn.get(.items, key: StoreKey.utf8("b")), [], "empty values are kept")
            XCTAssertNil(try txn.get(.items, key: StoreKey.utf8("c")))
            XCTAssertEqual(try txn.withValue(in: .items, key: StoreKey.utf8("a")) { $0.reduce(0, +) }, 6)
        }
        try store.write { txn in
            try txn.put(.items, key: StoreKey.utf8("a"), value: [7])
            XCTAssertTrue(try txn.delete(.items, key: StoreKey.utf8("b")))
            XCTAssertFalse(try txn.delete(.items, key: StoreKey.utf8("b")))
            XCTAssertNil(try txn.get(.items, key: StoreKey.utf8("b")), "a write sees its own changes")
        }
        try store.read { txn in
            XCTAssertEqual(try txn.get(.items, key: StoreKey.utf8("a")), [7], "put replaces")
            XCTAssertNil(try txn.get(.items, key: StoreKey.utf8("b")))
            XCTAssertEqual(try txn.count(in: .items), 1)
        }
    }

    func testReservedPutWritesInPlace() throws {
        let store = try FeatureStore(path: makeTemporaryDirectory(self))
        try store.write { txn in
            try txn.put(.interactions, key: [1], reservingByteCount: 100_000) { buffer in
                for index in buffer.indices { buffer[index] = UInt8(index % 251) }
            }
        }
        let stored = try store.read { try $0.get(.interactions, key: [1]) }
        XCTAssertEqual(stored, (0..<100_000).map { UInt8($0 % 251) })
    }

    func testPrefixIterationIsOrderedAndBounded() throws {
        let store = try FeatureStore(path: makeTemporaryDirectory(self))
        // "ml" must not see "ml-1m" keys; big-endian indices keep 255 < 256 < 65,536 in order.
        let indices: [UInt32] = [65_536, 3, 256, 255, 0]
        try store.write { txn in
            for index in indices {
                try txn.put(.items, key: StoreKey.prefix("ml") + StoreKey.bigEndian(index), value: StoreKey.bigEndian(index))
                try txn.put(.items, key: StoreKey.prefix("ml-1m") + StoreKey.bigEndian(index), value: [0])
            }
            try txn.put(.items, key: StoreKey.utf8("ml"), value: [0])
        }
        try store.read { txn in
            var seen: [UInt32] = []
            try txn.forEachEntry(in: .items, withPrefix: StoreKey.prefix("ml")) { key, value in
                XCTAssertEqual(key.count, 7)
                XCTAssertEqual(StoreKey.readBigEndian(UInt32.self, from: key, at: 3), StoreKey.readBigEndian(UInt32.self, from: value))
                seen.append(StoreKey.readBigEndian(UInt32.self, from: value)!)
            }
            XCTAssertEqual(seen, [0, 3, 255, 256, 65_536])
            XCTAssertEqual(try txn.count(in: .items, withPrefix: StoreKey.prefix("ml")), 5)
            XCTAssertEqual(try txn.count(in: .items, withPrefix: StoreKey.prefix("ml-1m")), 5)
            XCTAssertEqual(try txn.count(in: .items, withPrefix: StoreKey.prefix("nope")), 0)
            XCTAssertEqual(try txn.count(in: .items), 11)
            let last = try txn.lastEntry(in: .items, withPrefix: StoreKey.prefix("ml"))
            XCTAssertEqual(last?.value, StoreKey.bigEndian(UInt32(65_536)))
            XCTAssertNil(try txn.lastEntry(in: .items, withPrefix: StoreKey.prefix("mk")))
            XCTAssertNil(try txn.lastEntry(in: .users))
        }
        let removed = try store.write { try $0.deleteAll(in: .items, withPrefix: StoreKey.prefix("ml")) }
        XCTAssertEqual(removed, 5)
        try store.read { txn in
            XCTAssertEqual(try txn.count(in: .items), 6)
            XCTAssertEqual(try txn.count(in: .items, withPrefix: StoreKey.prefix("ml-1m")), 5)
            XCTAssertNotNil(try txn.get(.items, key: StoreKey.utf8("ml")))
        }
    }

    /// Random puts and deletes against a dictionary model: every query answers like the model.
    func testRandomOperationsMatchSortedDictionaryModel() throws {
        let store = try FeatureStore(path: makeTemporaryDirectory(self))
        var random = SplitMix64(seed: 42)
        var model: [[UInt8]: [UInt8]] = [:]
        for _ in 0..<20 {
            try store.write { txn in
                for _ in 0..<50 {
                    let key = random.bytes(Int.random(in: 1...3, using: &random)).map { $0 % 4 + 0xFC }
                    if Bool.random(using: &random) {
                        let value = random.bytes(Int.random(in: 0...20, using: &random))
                        try txn.put(.artifacts, key: key, value: value)
                        model[key] = value
                    } else {
                        XCTAssertEqual(try txn.delete(.artifacts, key: key), model.removeValue(forKey: key) != nil)
                    }
                }
            }
            let prefix = random.bytes(Int.random(in: 0...2, using: &random)).map { $0 % 4 + 0xFC }
            let expected = model.filter { $0.key.starts(with: prefix) }
                .sorted { $0.key.lexicographicallyPrecedes($1.key) }
            try store.read { txn in
                var entries: [(key: [UInt8], value: [UInt8])] = []
                try txn.forEachEntry(in: .artifacts, withPrefix: prefix) { entries.append(($0, $1)) }
                XCTAssertEqual(entries.map(\.key), expected.map(\.key), "prefix \(prefix)")
                XCTAssertEqual(entries.map(\.value), expected.map(\.value))
                XCTAssertEqual(try txn.lastEntry(in: .artifacts, withPrefix: prefix)?.key, expected.last?.key, "prefix \(prefix)")
                XCTAssertEqual(try txn.count(in: .artifacts), model.count)
            }
        }
    }

    func testAppendLoadsSortedKeysAndRejectsOutOfOrderKeys() throws {
        let store = try FeatureStore(path: makeTemporaryDirectory(self))
        try store.write { txn in
            for index in UInt32(0)..<1_000 {
                try txn.put(.interactions, key: StoreKey.bigEndian(index), value: [UInt8(index % 256)], append: true)
            }
        }
        XCTAssertEqual(try store.read { try $0.count(in: .interactions) }, 1_000)
        let error = thrownError {
            try store.write { txn in
                try txn.put(.interactions, key: StoreKey.bigEndian(UInt32(2_000)), value: [1], append: true)
                try txn.put(.interactions, key: StoreKey.bigEndian(UInt32(1_500)), value: [1], append: true)
            }
        }
        XCTAssertTrue(String(describing: error!).contains("MDB_KEYEXIST"), "\(error!)")
        XCTAssertNil(try store.read { try $0.get(.interactions, key: StoreKey.bigEndian(UInt32(2_000))) },
                     "the failed transaction was aborted")
    }

    func testThrowingWriteLeavesStoreUnchanged() throws {
        struct Abort: Error {}
        let store = try FeatureStore(path: makeTemporaryDirectory(self))
        try store.write { try $0.put(.items, key: [1], value: [1]) }
        XCTAssertThrowsError(try store.write { txn in
            try txn.put(.items, key: [1], value: [2])
            try txn.put(.items, key: [2], value: [2])
            try txn.deleteAll(in: .users)
            throw Abort()
        }) { XCTAssertTrue($0 is Abort) }
        try store.read { txn in
            XCTAssertEqual(try txn.get(.items, key: [1]), [1])
            XCTAssertNil(try txn.get(.items, key: [2]))
            XCTAssertEqual(try txn.count(in: .items), 1)
        }
    }

    func testWriteThatOverflowsTinyMapGrowsItAndRerunsTheBody() throws {
        let store = try FeatureStore(path: makeTemporaryDirectory(self), initialMapSize: 64 << 10)
        let initialMapSize = store.mapSize
        var attempts = 0
        let value = [UInt8](repeating: 0xAB, count: 10_000)
        try store.write { txn in
            attempts += 1
            for index in UInt32(0)..<300 {
                try txn.put(.interactions, key: StoreKey.bigEndian(index), value: value)
            }
        }
        XCTAssertGreaterThan(attempts, 1, "3 MB cannot fit a 64 KiB map on the first try")
        XCTAssertGreaterThan(store.mapSize, 3_000_000)
        XCTAssertLessThanOrEqual(store.mapSize, initialMapSize << 10)
        try store.read { txn in
            XCTAssertEqual(try txn.count(in: .interactions), 300)
            XCTAssertEqual(try txn.get(.interactions, key: StoreKey.bigEndian(UInt32(299))), value)
        }
    }

    func testReopenKeepsDataAndSchemaMismatchIsReported() throws {
        let path = makeTemporaryDirectory(self)
        try FeatureStore(path: path).write { try $0.put(.items, key: [7], value: [8]) }
        XCTAssertEqual(try FeatureStore(path: path).read { try $0.get(.items, key: [7]) }, [8])
        XCTAssertEqual(try FeatureStore(path: path).read { try $0.get(.meta, key: StoreKey.utf8("schema_version")) },
                       StoreKey.utf8("1"))

        try FeatureStore(path: path).write { try $0.put(.meta, key: StoreKey.utf8("schema_version"), value: StoreKey.utf8("3")) }
        for readOnly in [false, true] {
            let error = thrownError { _ = try FeatureStore(path: path, readOnly: readOnly) }
            XCTAssertEqual(error as? StoreError, .schemaVersionMismatch(path: path, found: 3, expected: 1))
            XCTAssertEqual(String(describing: error!), "store at \(path) has schema version 3, this llmrec reads version 1")
        }
    }

    func testReadOnlyStoreReadsButRefusesWritesAndMissingStoreIsReported() throws {
        let path = makeTemporaryDirectory(self)
        let missing = thrownError { _ = try FeatureStore(path: path, readOnly: true) }
        XCTAssertEqual(missing as? StoreError, .missing(path: path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "a read-only open creates nothing")

        try FeatureStore(path: path).write { try $0.put(.datasets, key: [1], value: [2]) }
        let store = try FeatureStore(path: path, readOnly: true)
        XCTAssertEqual(try store.read { try $0.get(.datasets, key: [1]) }, [2])
        let refused = thrownError { try store.write { try $0.put(.datasets, key: [1], value: [3]) } }
        XCTAssertEqual(refused as? StoreError, .readOnly(path: path))
    }

    func testLMDBErrorsNameTheStoreAndTheLMDBReason() throws {
        let path = makeTemporaryDirectory(self)
        let store = try FeatureStore(path: path)
        let error = thrownError { try store.write { try $0.put(.items, key: [UInt8](repeating: 1, count: 600), value: [1]) } }
        let message = String(describing: error!)
        XCTAssertTrue(message.hasPrefix("store at \(path): put into items failed: MDB_BAD_VALSIZE"), message)
        XCTAssertFalse(message.contains("\n"))
    }

    func testUncreatableDirectoryIsReported() throws {
        let directory = makeTemporaryDirectory(self)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let file = directory + "/plain-file"
        try Data([1]).write(to: URL(fileURLWithPath: file))
        let error = thrownError { _ = try FeatureStore(path: file + "/store") }
        guard case .cannotCreateDirectory(file + "/store", _)? = error as? StoreError else {
            return XCTFail("expected cannotCreateDirectory, got \(String(describing: error))")
        }
    }
}
