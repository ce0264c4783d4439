/// Why an export cannot start or cannot finish; each description is one line for the command line.
public enum ExportError: Error, Equatable, CustomStringConvertible {
    /// A `--shard` value that is not `i/N` with `0 <= i < N`.
    case badShard(String, reason: String)
    /// K is not in `1...catalogue size`.
    case badK(k: Int, numItems: Int)
    /// An exclude or allow list names an item id the data set does not have.
    case unknownItem(list: String, id: String)
    /// The output folder cannot be created or written.
    case unwritableOutput(path: String, detail: String)
    /// A finished part or manifest no longer matches its recorded checksum.
    case checksumMismatch(path: String, expected: String, found: String)
    /// `--verify` found shards or parts missing.
    case incomplete(String)
    /// A manifest file that is not one: not JSON, a field missing or of the wrong type, a negative
    /// count, a part name that is not a file name in the folder.
    case badManifest(path: String, reason: String)

    public var description: String {
        switch self {
        case .badShard(let text, let reason): return "bad --shard '\(text)': \(reason)"
        case .badK(let k, let numItems): return "-k \(k) is out of range: the catalogue has \(numItems) items (use 1...\(numItems))"
        case .unknownItem(let list, let id): return "\(list) names item '\(id)', which is not in the data set"
        case .unwritableOutput(let path, let detail): return "cannot write the output folder \(path): \(detail)"
        case .checksumMismatch(let path, let expected, let found):
            return "\(path) has SHA-256 \(found), the manifest records \(expected)"
        case .incomplete(let detail): return "export incomplete: \(detail)"
        case .badManifest(let path, let reason):
            return "\(path) is not a valid export manifest: \(String(reason.map { $0.isNewline ? " " : $0 }))"
        }
    }
}
