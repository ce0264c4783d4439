import FeatureStore
import Foundation

/// What the store knows about one stored data set: where it came from, how it was filtered,
/// its size and its version.
public struct DatasetMetadata: Codable, Equatable, Sendable {
    /// One raw file the data set was parsed from.
    public struct SourceFile: Codable, Equatable, Sendable {
        /// The file's path as given at ingest.
        public var path: String
        /// Its size in bytes.
        public var bytes: Int
        /// SHA-256 of its contents, 64 lowercase hex characters.
        public var sha256: String

        /// Describes one source file.
        public init(path: String, bytes: Int, sha256: String) {
            self.path = path
            self.bytes = bytes
            self.sha256 = sha256
        }

        /// Describes the file at `path`, measuring its size and hashing it.
        public init(describingFileAt path: String) throws {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            self.init(path: path, bytes: (attributes[.size] as? NSNumber)?.intValue ?? 0,
                      sha256: try SHA256.hexDigest(ofFileAt: path))
        }
    }

    /// The data set's name (its key in the store).
    public var name: String
    /// 1 for the first save of `name`, previous + 1 for every save that changed it (set by the store).
    public var version: Int
    /// The raw format it was parsed from ("movielens-100k", "recbole", ...).
    public var format: String
    /// The files it was parsed from, interactions file first.
    public var sourceFiles: [SourceFile]
    /// The filters applied after parsing, in order (e.g. "rating >= 4.0", "5-core").
    public var filters: [String]
    /// Number of users (set by the store from the data set).
    public var userCount: Int
    /// Number of items (set by the store from the data set).
    public var itemCount: Int
    /// Number of interactions (set by the store from the data set).
    public var interactionCount: Int
    /// Lines the parser skipped as malformed.
    public var skippedLines: Int
    /// When the raw files were ingested.
    public var ingestedAt: Date

    /// Describes a data set; `saveDataset` overwrites `version` and the three counts.
    public init(name: String, version: Int, format: String, sourceFiles: [SourceFile], filters: [String],
                userCount: Int, itemCount: Int, interactionCount: Int, skippedLines: Int, ingestedAt: Date) {
        self.name = name
        self.version = version
        self.format = format
        self.sourceFiles = sourceFiles
        self.filters = filters
        self.userCount = userCount
        self.itemCount = itemCount
        self.interactionCount = interactionCount
        self.skippedLines = skippedLines
        self.ingestedAt = ingestedAt
    }

    /// Whether `other` comes from files with the same contents (same checksums, in order), the same
    /// format and filters, and has the same counts: saving it again would change nothing.
    /// Data sets without source files (generated in memory) never describe the same data.
    func describesSameData(as other: DatasetMetadata) -> Bool {
        !sourceFiles.isEmpty
            && sourceFiles.map(\.sha256) == other.sourceFiles.map(\.sha256)
            && format == other.format && filters == other.filters
            && userCount == other.userCount && itemCount == other.itemCount
            && interactionCount == other.interactionCount
    }
}

/// What `saveDataset` did.
public enum DatasetSaveOutcome: Equatable, Sendable {
    /// The data set was written as this new version.
    case stored(version: Int)
    /// The same data was already stored as this version; nothing was written.
    case unchanged(version: Int)

    /// The version now stored.
    public var version: Int {
        switch self {
        case .stored(let version), .unchanged(let version): return version
        }
    }
}
