import FeatureStore
import Foundation
import XCTest

final class FeatureStoreConcurrencyTests: XCTestCase {
    /// Readers on several threads always see a whole committed snapshot while one writer commits
    /// transaction after transaction, including while the writer has to grow a tiny map.
    func testConcurrentReadersSeeConsistentSnapshotsWhileOneWriterGrowsTheMap() throws {
        let store = try FeatureStore(path: makeTemporaryDirectory(self), initialMapSize: 64 << 10)
        let counterKey = StoreKey.utf8("counter")
        let writes = 60
        let readerCount = 3
        let finished = ManagedAtomicFlag()
        let failures = FailureLog()
        let group = DispatchGroup()

        for reader in 0..<readerCount {
            group.enter()
            Thread {
                defer { group.leave() }
                var snapshots = 0
                while !finished.isSet || snapshots == 0 {
                    do {
                        try store.read { txn in
                            let counter = try txn.get(.meta, key: counterKey).flatMap { StoreKey.readBigEndian(UInt32.self, from: $0) } ?? 0
                            let entries = try txn.count(in: .items, withPrefix: StoreKey.prefix("k"))
                            if entries != Int(counter) * 10 {
                                failures.record("reader \(reader): counter \(counter) but \(entries) entries")
                            }
                        }
                    } catch {
                        failures.record("reader \(reader): \(error)")
                    }
                    snapshots += 1
                }
            }.start()
        }

        let value = [UInt8](repeating: 7, count: 2_000)
        for write in 0..<writes {
            try store.write { txn in
                for entry in 0..<10 {
                    try txn.put(.items, key: StoreKey.prefix("k") + StoreKey.bigEndian(UInt32(write * 10 + entry)), value: value)
                }
                try txn.put(.meta, key: counterKey, value: StoreKey.bigEndian(UInt32(write + 1)))
            }
        }
        finished.set()
        XCTAssertEqual(group.wait(timeout: .now() + 60), .success, "readers finished")
        XCTAssertEqual(failures.messages, [])
        XCTAssertGreaterThan(store.mapSize, 64 << 10, "the writer grew the map while readers were active")
        XCTAssertEqual(try store.read { try $0.count(in: .items) }, writes * 10)
    }
}

/// A flag set once by one thread and read by others.
private final class ManagedAtomicFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    var isSet: Bool { lock.withLock { value } }

    func set() { lock.withLock { value = true } }
}

/// Failure messages collected from background threads (XCTest assertions belong on the test thread).
private final class FailureLog: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [String] = []

    var messages: [String] { lock.withLock { collected } }

    func record(_ message: String) { lock.withLock { collected.append(message) } }
}
