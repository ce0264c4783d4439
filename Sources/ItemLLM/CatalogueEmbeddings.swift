import FeatureStore
import Foundation

/// The item LLM's embeddings of a whole catalogue (`[count, dim]`, row `i` for internal item `i`),
/// kept in the feature store as a versioned artefact so the catalogue is encoded once per data
/// set version, model and text template, and every later run (evaluation, export, notebooks)
/// reads the same vectors.
///
/// The payload is the raw little-endian float32 matrix; the registry record carries `dim`,
/// `count` and how the vectors were made.
public struct CatalogueEmbeddings: Sendable, Equatable {
    /// Width of one embedding.
    public let dim: Int
    /// `[count, dim]`, row-major.
    public let values: [Float]

    /// Embeddings from a `[count, dim]` row-major matrix.
    public init(values: [Float], dim: Int) {
        precondition(dim > 0 && values.count % dim == 0, "values are not [count, \(dim)]")
        self.dim = dim
        self.values = values
    }

    /// Number of items.
    public var count: Int { values.count / dim }

    /// The frozen HLLM item features these embeddings are.
    public var frozenFeatures: FrozenItemTextFeatures { FrozenItemTextFeatures(table: values, dim: dim) }

    /// The artefact name for one data set version, item-LLM weights, template and token budget:
    /// `<dataset>/item-embeddings/v<version>/<model>/<template>/<maxTokens>`.
    public static func artifactName(dataset: String, datasetVersion: Int, model: String, template: String,
                                    maxTokens: Int) -> String {
        "\(dataset)/item-embeddings/v\(datasetVersion)/\(model)/\(template)/\(maxTokens)"
    }

    /// The latest registered version of `name`, or nil when there is none.
    /// - Throws: `ItemLLMError.malformedModelFile` when the record and its payload disagree.
    public static func latest(named name: String, in store: FeatureStore) throws -> (CatalogueEmbeddings, Artifact)? {
        try store.read { transaction in
            guard let artifact = try transaction.latestArtifact(named: name),
                  let dim = artifact.metadata["dim"].flatMap(Int.init), let count = artifact.metadata["count"].flatMap(Int.init),
                  dim > 0 else { return nil }
            let values = try transaction.withArtifactBlob(named: name, version: artifact.version) { bytes -> [Float]? in
                guard bytes.count == dim * count * MemoryLayout<Float>.size else { return nil }
                return (0..<dim * count).map {
                    Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)))
                }
            } ?? nil
            guard let values else {
                throw ItemLLMError.malformedModelFile(path: "\(store.path):\(name) v\(artifact.version)",
                                                      reason: "payload is not \(count) x \(dim) float32 values")
            }
            return (CatalogueEmbeddings(values: values, dim: dim), artifact)
        }
    }

    /// Registers these embeddings as the next version of `name`, with `metadata` plus `dim` and `count`.
    @discardableResult
    public func register(named name: String, in store: FeatureStore, metadata: [String: String] = [:]) throws -> Artifact {
        var blob = [UInt8]()
        blob.reserveCapacity(values.count * 4)
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { blob.append(contentsOf: $0) } }
        let facts = metadata.merging(["dim": String(dim), "count": String(count)]) { _, new in new }
        return try store.write { try $0.registerArtifact(named: name, blob: blob, metadata: facts) }
    }
}
