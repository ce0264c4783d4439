import CLMDB

/// Every failure of the feature store, each with a one-line message naming the store path.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    /// An LMDB call failed; `code` is the LMDB or errno code, rendered with `mdb_strerror`.
    case lmdb(path: String, operation: String, code: Int32)
    /// The store was written by a different schema version than this build reads.
    case schemaVersionMismatch(path: String, found: Int, expected: Int)
    /// A read-only open of a directory that holds no store.
    case missing(path: String)
    /// The store directory could not be created.
    case cannotCreateDirectory(path: String, reason: String)
    /// A write was attempted on a store opened read-only.
    case readOnly(path: String)
    /// A stored value could not be decoded.
    case corrupt(path: String, detail: String)
    /// A name used to build keys (artefact name, dataset name) is not allowed.
    case invalidName(path: String, name: String, reason: String)

    /// The LMDB code, when the error came from LMDB.
    public var lmdbCode: Int32? {
        if case .lmdb(_, _, let code) = self { return code }
        return nil
    }

    /// One line naming the store path and what went wrong.
    public var description: String {
        switch self {
        case let .lmdb(path, operation, code):
            return "store at \(path): \(operation) failed: \(String(cString: mdb_strerror(code)))"
        case let .schemaVersionMismatch(path, found, expected):
            return "store at \(path) has schema version \(found), this llmrec reads version \(expected)"
        case let .missing(path):
            return "no feature store at \(path) (open it writable once to create it)"
        case let .cannotCreateDirectory(path, reason):
            return "store at \(path): cannot create the directory: \(reason)"
        case let .readOnly(path):
            return "store at \(path) is open read-only; cannot write"
        case let .corrupt(path, detail):
            return "store at \(path) holds an unreadable value: \(detail)"
        case let .invalidName(path, name, reason):
            return "store at \(path): invalid name \(String(reflecting: name)): \(reason)"
        }
    }
}
