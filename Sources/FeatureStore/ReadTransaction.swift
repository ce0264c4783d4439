import CLMDB

/// A read-only view of the store inside `FeatureStore.read` (or `write`): one consistent snapshot.
///
/// Keys are bytes compared lexically (see `StoreKey`); values are arbitrary bytes. Raw-buffer
/// variants hand out pointers into LMDB's memory map that are valid only inside the closure.
public class ReadTransaction {
    let store: FeatureStore
    let handle: OpaquePointer
    private var isOpen = true
    /// Set when an LMDB call reported `MDB_MAP_FULL`; the store then grows the map and retries.
    var ranOutOfMapSpace = false

    init(store: FeatureStore, handle: OpaquePointer) {
        self.store = store
        self.handle = handle
    }

    /// The directory of the store this transaction reads, for error messages.
    public var storePath: String { store.path }

    /// The value stored under `key` in `table`, or nil.
    public func get(_ table: StoreTable, key: [UInt8]) throws -> [UInt8]? {
        try withValue(in: table, key: key) { Array($0) }
    }

    /// Calls `body` with the bytes stored under `key` (no copy), or returns nil when absent.
    public func withValue<R>(in table: StoreTable, key: [UInt8],
                             _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R? {
        let dbi = handle(of: table)
        var value = MDB_val()
        let code = key.withUnsafeBytes { keyBytes in
            var keyValue = MDB_val(bytes: keyBytes)
            return mdb_get(handle, dbi, &keyValue, &value)
        }
        if code == MDB_NOTFOUND { return nil }
        try check(code, "get from \(table.rawValue)")
        return try body(value.buffer)
    }

    /// Calls `body` for every entry whose key starts with `prefix`, in ascending key order, with
    /// pointers into the map (valid only during the call).
    public func forEachRawEntry(in table: StoreTable, withPrefix prefix: [UInt8] = [],
                                _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Void) throws {
        try withCursor(on: table) { cursor in
            var key = MDB_val()
            var value = MDB_val()
            var code = try seek(cursor, to: prefix, key: &key, value: &value)
            while code == MDB_SUCCESS, key.buffer.starts(with: prefix) {
                try body(key.buffer, value.buffer)
                code = mdb_cursor_get(cursor, &key, &value, MDB_NEXT)
            }
            if code != MDB_NOTFOUND { try check(code, "iterate \(table.rawValue)") }
        }
    }

    /// Calls `body` for every entry whose key starts with `prefix`, in ascending key order.
    public func forEachEntry(in table: StoreTable, withPrefix prefix: [UInt8] = [],
                             _ body: (_ key: [UInt8], _ value: [UInt8]) throws -> Void) throws {
        try forEachRawEntry(in: table, withPrefix: prefix) { try body(Array($0), Array($1)) }
    }

    /// The entry with the greatest key starting with `prefix`, or nil when there is none.
    public func lastEntry(in table: StoreTable, withPrefix prefix: [UInt8] = []) throws -> (key: [UInt8], value: [UInt8])? {
        try withLastEntry(in: table, withPrefix: prefix) { (Array($0), Array($1)) }
    }

    /// The greatest key starting with `prefix`, or nil when there is none (the value is not copied).
    public func lastKey(in table: StoreTable, withPrefix prefix: [UInt8] = []) throws -> [UInt8]? {
        try withLastEntry(in: table, withPrefix: prefix) { key, _ in Array(key) }
    }

    /// The number of entries in `table`.
    public func count(in table: StoreTable) throws -> Int {
        var stat = MDB_stat()
        try check(mdb_stat(handle, handle(of: table), &stat), "count \(table.rawValue)")
        return stat.ms_entries
    }

    /// The number of entries in `table` whose key starts with `prefix`.
    public func count(in table: StoreTable, withPrefix prefix: [UInt8]) throws -> Int {
        var total = 0
        try forEachRawEntry(in: table, withPrefix: prefix) { _, _ in total += 1 }
        return total
    }

    // MARK: - Internals shared with WriteTransaction

    /// The LMDB handle of `table`; traps when the transaction is used outside its closure.
    func handle(of table: StoreTable) -> MDB_dbi {
        precondition(isOpen, "a store transaction was used outside its read/write closure")
        return store.handle(of: table)
    }

    /// Throws `StoreError.lmdb` unless `code` is `MDB_SUCCESS`, remembering `MDB_MAP_FULL`.
    func check(_ code: Int32, _ operation: @autoclosure () -> String) throws {
        if code == MDB_MAP_FULL { ranOutOfMapSpace = true }
        try FeatureStore.check(code, store.path, operation())
    }

    /// Runs `body` with a cursor on `table`, closed afterwards.
    func withCursor<R>(on table: StoreTable, _ body: (OpaquePointer) throws -> R) throws -> R {
        var cursor: OpaquePointer?
        try check(mdb_cursor_open(handle, handle(of: table), &cursor), "open cursor on \(table.rawValue)")
        defer { mdb_cursor_close(cursor) }
        return try body(cursor!)
    }

    /// Calls `body` with the entry of greatest key starting with `prefix`; nil when there is none.
    private func withLastEntry<R>(in table: StoreTable, withPrefix prefix: [UInt8],
                                  _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> R) throws -> R? {
        try withCursor(on: table) { cursor in
            var key = MDB_val()
            var value = MDB_val()
            // Step back from the first key past the prefix range, or from the end of the table.
            let bound = StoreKey.successor(of: prefix)
            let boundFound = try bound.map { try seek(cursor, to: $0, key: &key, value: &value) } == MDB_SUCCESS
            let code = mdb_cursor_get(cursor, &key, &value, boundFound ? MDB_PREV : MDB_LAST)
            if code == MDB_NOTFOUND { return nil }
            try check(code, "find last entry of \(table.rawValue)")
            return key.buffer.starts(with: prefix) ? try body(key.buffer, value.buffer) : nil
        }
    }

    /// Positions `cursor` at the first key >= `target` (the first key when `target` is empty).
    /// Returns `MDB_SUCCESS` or `MDB_NOTFOUND`; `key` and `value` then point into the map.
    func seek(_ cursor: OpaquePointer, to target: [UInt8], key: inout MDB_val, value: inout MDB_val) throws -> Int32 {
        let code: Int32
        if target.isEmpty {
            code = mdb_cursor_get(cursor, &key, &value, MDB_FIRST)
        } else {
            code = target.withUnsafeBytes { targetBytes in
                key = MDB_val(bytes: targetBytes)
                return mdb_cursor_get(cursor, &key, &value, MDB_SET_RANGE)
            }
        }
        if code != MDB_NOTFOUND { try check(code, "seek") }
        return code
    }

    /// Ends the transaction (commit or abort); returns the LMDB code of the commit.
    @discardableResult
    func finish(commit: Bool) -> Int32 {
        invalidate()
        if commit { return mdb_txn_commit(handle) }
        mdb_txn_abort(handle)
        return MDB_SUCCESS
    }

    /// Marks the transaction unusable (its LMDB handle is ended by its owner).
    func invalidate() {
        isOpen = false
    }
}

extension MDB_val {
    /// An `MDB_val` pointing at `bytes` (LMDB never writes through key pointers).
    init(bytes: UnsafeRawBufferPointer) {
        self.init(mv_size: bytes.count, mv_data: UnsafeMutableRawPointer(mutating: bytes.baseAddress))
    }

    /// The bytes this value points at.
    var buffer: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: mv_data, count: mv_size)
    }
}
