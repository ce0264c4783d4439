import CLMDB
import Foundation

/// A read-write view of the store inside `FeatureStore.write`; nothing is visible to readers
/// until the closure returns and the transaction commits.
public final class WriteTransaction: ReadTransaction {
    /// Stores `value` under `key` in `table`, replacing any previous value.
    ///
    /// - Parameter append: the key is greater than every key already in `table` (sorted bulk
    ///   load, `MDB_APPEND`: faster and denser); an out-of-order key throws `MDB_KEYEXIST`.
    public func put(_ table: StoreTable, key: [UInt8], value: some ContiguousBytes, append: Bool = false) throws {
        let dbi = handle(of: table)
        let code = key.withUnsafeBytes { keyBytes in
            value.withUnsafeBytes { valueBytes in
                var keyValue = MDB_val(bytes: keyBytes)
                var dataValue = MDB_val(bytes: valueBytes)
                return mdb_put(handle, dbi, &keyValue, &dataValue, append ? UInt32(MDB_APPEND) : 0)
            }
        }
        try check(code, "put into \(table.rawValue)")
    }

    /// Reserves `byteCount` bytes under `key` in `table` and lets `fill` write them in place
    /// (`MDB_RESERVE`: no intermediate buffer for large values). `append` as in `put`.
    public func put(_ table: StoreTable, key: [UInt8], reservingByteCount byteCount: Int, append: Bool = false,
                    fill: (UnsafeMutableRawBufferPointer) throws -> Void) throws {
        let dbi = handle(of: table)
        var dataValue = MDB_val(mv_size: byteCount, mv_data: nil)
        let flags = UInt32(MDB_RESERVE) | (append ? UInt32(MDB_APPEND) : 0)
        let code = key.withUnsafeBytes { keyBytes in
            var keyValue = MDB_val(bytes: keyBytes)
            return mdb_put(handle, dbi, &keyValue, &dataValue, flags)
        }
        try check(code, "reserve in \(table.rawValue)")
        try fill(UnsafeMutableRawBufferPointer(start: dataValue.mv_data, count: byteCount))
    }

    /// Removes `key` from `table`; returns whether it was there.
    @discardableResult
    public func delete(_ table: StoreTable, key: [UInt8]) throws -> Bool {
        let dbi = handle(of: table)
        let code = key.withUnsafeBytes { keyBytes in
            var keyValue = MDB_val(bytes: keyBytes)
            return mdb_del(handle, dbi, &keyValue, nil)
        }
        if code == MDB_NOTFOUND { return false }
        try check(code, "delete from \(table.rawValue)")
        return true
    }

    /// Removes every entry of `table` whose key starts with `prefix` (all of them when empty);
    /// returns how many were removed.
    @discardableResult
    public func deleteAll(in table: StoreTable, withPrefix prefix: [UInt8] = []) throws -> Int {
        if prefix.isEmpty {
            let removed = try count(in: table)
            try check(mdb_drop(handle, handle(of: table), 0), "empty \(table.rawValue)")
            return removed
        }
        return try withCursor(on: table) { cursor in
            var removed = 0
            var key = MDB_val()
            var value = MDB_val()
            while try seek(cursor, to: prefix, key: &key, value: &value) == MDB_SUCCESS,
                  key.buffer.starts(with: prefix) {
                try check(mdb_cursor_del(cursor, 0), "delete from \(table.rawValue)")
                removed += 1
            }
            return removed
        }
    }
}
