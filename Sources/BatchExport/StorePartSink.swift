import FeatureStore
import Foundation

/// Parts in the feature store's `users` table, one write transaction per part (so a reader never sees
/// half of one): each user's JSON line under `StoreKey.prefix("export/<dataset>/<model>/v<version>")`
/// + raw user id, and the part's `PartRecord` under `StoreKey.prefix("export-parts/<dataset>/<model>/v<version>")`
/// + part name in the same transaction. A part's checksum covers its values, newline-terminated, in
/// user order. Memory: one part's rows.
final class StorePartSink: PartSink {
    private let store: FeatureStore
    private let userIDs: [String]
    private let rowPrefix: [UInt8]
    private let recordPrefix: [UInt8]
    private var current: (name: String, blocks: [FormattedBlock])?

    /// A sink for `dataset`'s export of `model` version `modelVersion` into `store`; `userIDs` are the
    /// raw user ids, `[numUsers]`.
    init(store: FeatureStore, dataset: String, model: String, modelVersion: Int, userIDs: [String]) {
        self.store = store
        self.userIDs = userIDs
        rowPrefix = Self.rowPrefix(dataset: dataset, model: model, modelVersion: modelVersion)
        recordPrefix = StoreKey.prefix("export-parts/\(dataset)/\(model)/v\(modelVersion)")
    }

    /// The key prefix of exported rows: append a raw user id to look its list up.
    static func rowPrefix(dataset: String, model: String, modelVersion: Int) -> [UInt8] {
        StoreKey.prefix("export/\(dataset)/\(model)/v\(modelVersion)")
    }

    func removeLeftovers() throws {}  // an uncommitted transaction leaves nothing

    func finishedRecord(of name: String, users: ArraySlice<Int32>, fingerprint: String) throws -> PartRecord? {
        let stored = try store.read { try $0.get(.users, key: recordPrefix + StoreKey.utf8(name)) }
        guard let stored, let record = try? JSONDecoder().decode(PartRecord.self, from: Data(stored)),
              record.fingerprint == fingerprint, try matches(record, users: users) else { return nil }
        return record
    }

    func matches(_ record: PartRecord, users: ArraySlice<Int32>) throws -> Bool {
        try store.read { txn in
            var hasher = SHA256()
            for user in users {
                guard let value = try txn.get(.users, key: rowPrefix + StoreKey.utf8(userIDs[Int(user)])) else { return false }
                hasher.update(value)
                hasher.update([UInt8(ascii: "\n")])
            }
            return hasher.finalizeHex() == record.sha256
        }
    }

    func begin(_ name: String) throws { current = (name, []) }

    func append(_ block: FormattedBlock) throws { current!.blocks.append(block) }

    func finish(users: Int, fingerprint: String) throws -> PartRecord {
        let part = current!
        current = nil
        var hasher = SHA256()
        var bytes = 0
        return try store.write { txn in
            for block in part.blocks {
                var start = 0
                for (user, end) in zip(block.users, block.rowEnds) {
                    try txn.put(.users, key: rowPrefix + StoreKey.utf8(userIDs[Int(user)]),
                                value: block.bytes[start..<(end - 1)].withUnsafeBytes { Data($0) })
                    start = end
                }
                hasher.update(block.bytes)
                bytes += block.bytes.count
            }
            let record = PartRecord(name: part.name, users: users, rows: users, bytes: bytes,
                                    sha256: hasher.finalizeHex(), fingerprint: fingerprint)
            try txn.put(.users, key: recordPrefix + StoreKey.utf8(part.name), value: try JSONEncoder().encode(record))
            return record
        }
    }
}
