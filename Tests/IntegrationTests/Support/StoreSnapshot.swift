import FeatureStore
import Foundation

/// A digest of every key and value in every table of a store (but `excluded`): equal snapshots mean
/// those contents are exactly the same.
struct StoreSnapshot: Equatable {
    var entryCounts: [String: Int]
    var digest: String

    init(of store: FeatureStore, excluding excluded: Set<StoreTable> = []) throws {
        var hasher = SHA256()
        var counts: [String: Int] = [:]
        try store.read { transaction in
            for table in StoreTable.allCases where !excluded.contains(table) {
                var count = 0
                hasher.update(table.rawValue)
                try transaction.forEachRawEntry(in: table) { key, value in
                    hasher.update(key)
                    hasher.update(value)
                    count += 1
                }
                counts[table.rawValue] = count
            }
        }
        entryCounts = counts
        digest = hasher.finalizeHex()
    }
}
