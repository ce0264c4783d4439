import Foundation

/// One registered version of a named artefact (item embeddings, semantic ids, a checkpoint, an
/// export): where it lives, when it was made and free-form facts about it.
///
/// Versions of a name count up from 1; a stage finds the last good one with `latestArtifact(named:)`.
public struct Artifact: Codable, Equatable, Sendable {
    /// The artefact's name, e.g. "ml-100k/item-embeddings/minilm".
    public var name: String
    /// 1 for the first registration of `name`, previous + 1 after that.
    public var version: Int
    /// When the version was registered.
    public var createdAt: Date
    /// A file or directory the artefact lives in (e.g. a safetensors file next to the store).
    public var path: String?
    /// Free-form facts (dataset version, model config, metrics).
    public var metadata: [String: String]
    /// The size of the binary payload stored with this version, or nil when there is none.
    public var blobByteCount: Int?

    /// Creates a record; the registry assigns `version` when registering.
    public init(name: String, version: Int, createdAt: Date, path: String?, metadata: [String: String],
                blobByteCount: Int?) {
        self.name = name
        self.version = version
        self.createdAt = createdAt
        self.path = path
        self.metadata = metadata
        self.blobByteCount = blobByteCount
    }
}
