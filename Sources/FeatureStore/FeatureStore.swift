import CLMDB
import Foundation

/// The feature store: one directory holding one LMDB environment with the named tables of
/// `StoreTable` (items, users, interactions, datasets, artefacts, meta).
///
/// Every stage reads its inputs from the store and writes its outputs back in one transaction, so
/// a killed process leaves the store exactly as it was before the interrupted write (LMDB commits
/// atomically; this class never enables LMDB's unsafe no-sync or write-map modes).
///
/// Threading: the environment is opened with `MDB_NOTLS`, so `read` can run on any thread,
/// concurrently with each other and with one `write` (LMDB serialises writers). Open one
/// `FeatureStore` per directory per process, and do not call `read` or `write` from inside a
/// `read` or `write` closure.
public final class FeatureStore: @unchecked Sendable {
    /// The schema version this build writes and reads.
    public static let schemaVersion = 1
    /// Default map size (address space reserved for the data file; the file grows as needed).
    public static let defaultInitialMapSize = 1 << 30

    /// The store directory.
    public let path: String
    /// Whether the store was opened read-only.
    public let isReadOnly: Bool

    let environment: OpaquePointer
    private var tableHandles: [StoreTable: MDB_dbi] = [:]
    private let gate = TransactionGate()
    private static let schemaVersionKey = StoreKey.utf8("schema_version")

    /// Opens the store at `path`, creating the directory and tables unless `readOnly`.
    ///
    /// A new store records `FeatureStore.schemaVersion`; an existing one must hold the same version.
    /// - Parameter initialMapSize: initial map size in bytes; writes that do not fit double it.
    /// - Throws: `StoreError.schemaVersionMismatch`, `.missing` (read-only open of no store), `.lmdb`.
    public init(path: String, readOnly: Bool = false,
                initialMapSize: Int = FeatureStore.defaultInitialMapSize) throws {
        self.path = path
        self.isReadOnly = readOnly
        if readOnly {
            guard FileManager.default.fileExists(atPath: path + "/data.mdb") else {
                throw StoreError.missing(path: path)
            }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw StoreError.cannotCreateDirectory(path: path, reason: error.localizedDescription)
            }
        }
        var env: OpaquePointer?
        let created = mdb_env_create(&env)
        guard created == MDB_SUCCESS, let env else {
            throw StoreError.lmdb(path: path, operation: "mdb_env_create", code: created)
        }
        // Every stored property is set from here on, so a throw below still runs deinit,
        // which closes the environment.
        environment = env
        try Self.check(mdb_env_set_maxdbs(env, MDB_dbi(StoreTable.allCases.count)), path, "set max tables")
        try Self.check(mdb_env_set_mapsize(env, initialMapSize), path, "set map size")
        let flags = UInt32(MDB_NOTLS) | (readOnly ? UInt32(MDB_RDONLY) : 0)
        try Self.check(mdb_env_open(env, path, flags, 0o664), path, "open environment")
        try openTables()
    }

    deinit {
        mdb_env_close(environment)
    }

    /// The current map size in bytes (grows by doubling when a write does not fit).
    public var mapSize: Int {
        var info = MDB_envinfo()
        mdb_env_info(environment, &info)
        return info.me_mapsize
    }

    /// Runs `body` in one read transaction: a consistent snapshot of the last committed write.
    ///
    /// The transaction object must not escape `body`.
    public func read<T>(_ body: (ReadTransaction) throws -> T) throws -> T {
        while true {
            let outcome = try gate.shared { () throws -> TransactionOutcome<T> in
                var handle: OpaquePointer?
                let began = mdb_txn_begin(environment, nil, UInt32(MDB_RDONLY), &handle)
                if began == MDB_MAP_RESIZED { return .mapResizedByAnotherProcess }
                try Self.check(began, path, "begin read transaction")
                let transaction = ReadTransaction(store: self, handle: handle!)
                defer { transaction.finish(commit: false) }
                return .finished(try body(transaction))
            }
            switch outcome {
            case .finished(let value): return value
            case .mapFull, .mapResizedByAnotherProcess: try adoptOrGrowMap(outcome)
            }
        }
    }

    /// Runs `body` in one write transaction: committed if `body` returns, aborted if it throws.
    ///
    /// When the data does not fit in the map, the transaction is aborted, the map size doubled
    /// and `body` run again from the start, so `body` must be re-runnable: it must not depend on
    /// side effects of an earlier attempt. The transaction object must not escape `body`.
    public func write<T>(_ body: (WriteTransaction) throws -> T) throws -> T {
        guard !isReadOnly else { throw StoreError.readOnly(path: path) }
        while true {
            let outcome = try gate.shared { try attemptWrite(body) }
            switch outcome {
            case .finished(let value): return value
            case .mapFull, .mapResizedByAnotherProcess: try adoptOrGrowMap(outcome)
            }
        }
    }

    /// The LMDB handle of `table` (opened once, valid for the life of the environment).
    func handle(of table: StoreTable) -> MDB_dbi {
        tableHandles[table]!
    }

    /// Throws `StoreError.lmdb` unless `code` is `MDB_SUCCESS`.
    static func check(_ code: Int32, _ path: String, _ operation: @autoclosure () -> String) throws {
        if code != MDB_SUCCESS {
            throw StoreError.lmdb(path: path, operation: operation(), code: code)
        }
    }
}

/// How one transaction attempt ended.
private enum TransactionOutcome<T> {
    case finished(T)
    case mapFull
    case mapResizedByAnotherProcess
}

extension FeatureStore {
    /// Opens (creating when writable) every table and checks or records the schema version.
    private func openTables() throws {
        var handle: OpaquePointer?
        let flags = isReadOnly ? UInt32(MDB_RDONLY) : 0
        try Self.check(mdb_txn_begin(environment, nil, flags, &handle), path, "begin setup transaction")
        let setup = handle!
        do {
            for table in StoreTable.allCases {
                var dbi = MDB_dbi()
                let opened = mdb_dbi_open(setup, table.rawValue, isReadOnly ? 0 : UInt32(MDB_CREATE), &dbi)
                if opened == MDB_NOTFOUND { throw StoreError.missing(path: path) }
                try Self.check(opened, path, "open table \(table.rawValue)")
                tableHandles[table] = dbi
            }
            // A read-only open only reads through it; a new store writes its schema version.
            let transaction = WriteTransaction(store: self, handle: setup)
            defer { transaction.invalidate() }
            if let stored = try transaction.get(.meta, key: Self.schemaVersionKey) {
                let found = Int(String(decoding: stored, as: UTF8.self)) ?? -1
                if found != Self.schemaVersion {
                    throw StoreError.schemaVersionMismatch(path: path, found: found, expected: Self.schemaVersion)
                }
            } else if isReadOnly {
                throw StoreError.missing(path: path)
            } else {
                try transaction.put(.meta, key: Self.schemaVersionKey, value: StoreKey.utf8(String(Self.schemaVersion)))
            }
        } catch {
            mdb_txn_abort(setup)
            throw error
        }
        try Self.check(mdb_txn_commit(setup), path, "commit setup transaction")
    }

    private func attemptWrite<T>(_ body: (WriteTransaction) throws -> T) throws -> TransactionOutcome<T> {
        var handle: OpaquePointer?
        let began = mdb_txn_begin(environment, nil, 0, &handle)
        if began == MDB_MAP_RESIZED { return .mapResizedByAnotherProcess }
        try Self.check(began, path, "begin write transaction")
        let transaction = WriteTransaction(store: self, handle: handle!)
        let value: T
        do {
            value = try body(transaction)
        } catch {
            transaction.finish(commit: false)
            if transaction.ranOutOfMapSpace { return .mapFull }
            throw error
        }
        if transaction.ranOutOfMapSpace {
            transaction.finish(commit: false)
            return .mapFull
        }
        let committed = transaction.finish(commit: true)
        if committed == MDB_MAP_FULL { return .mapFull }
        try Self.check(committed, path, "commit write transaction")
        return .finished(value)
    }

    /// Doubles the map after `MDB_MAP_FULL`, or adopts the size another process grew it to.
    private func adoptOrGrowMap<T>(_ outcome: TransactionOutcome<T>) throws {
        try gate.exclusive {
            if case .mapFull = outcome {
                try Self.check(mdb_env_set_mapsize(environment, mapSize * 2), path, "grow map")
            } else {
                try Self.check(mdb_env_set_mapsize(environment, 0), path, "adopt map size")
            }
        }
    }
}
