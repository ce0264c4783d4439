import FeatureStore
import Foundation
import ItemLLM
import LinearAlgebra
import NeuralNet
import SemanticIDs

/// Collaborative item vectors to concatenate with the item-LLM embeddings before quantising
/// (LETTER's idea, Wang et al. 2024: codes that reflect both text and co-interaction): iALS item
/// factors fitted on `training` (the training part of a split only, so no held-out interaction
/// shapes the codes). Items without interactions get zero factors.
public struct CollaborativeItemVectors {
    /// iALS factors per item.
    public var factors: Int
    /// The interactions iALS is fitted on.
    public var training: TrainingData
    /// Which split `training` is the training part of (protocol and tie rule, e.g.
    /// `leave-one-out-seeded-hash`): codes fit on one split's training part must not serve
    /// another split, whose held-out items they may have seen.
    public var splitName: String

    /// iALS with `factors` factors on `training`, the training part of the split `splitName`.
    public init(factors: Int, training: TrainingData, splitName: String) {
        self.factors = factors
        self.training = training
        self.splitName = splitName
    }

    /// The part of the artefact key naming this input (`+ials64-leave-one-out-seeded-hash`).
    public var key: String { "+ials\(factors)-\(splitName)" }

    /// `[numItems, factors]` iALS item factors.
    func itemVectors() throws -> Matrix {
        let model = IALS(config: IALS.Config(factors: factors))
        try model.fit(training)
        return model.itemFactors
    }
}

/// The semantic IDs of one data set's catalogue, kept in the feature store as a versioned
/// artefact so a rerun with the same inputs (data set version, item embeddings, tokenizer
/// settings) reads them instead of fitting again, and the generative ranker finds the codes its
/// vocabulary is made of.
///
/// Artefact name: `<dataset>/semantic-ids/v<dataset version>/<embedding key>/<tokenizer key>`,
/// where the embedding key is the item-embedding artefact's own key
/// (`<model>/<template>/<tokens>`, see `CatalogueEmbeddings.artifactName`) and the tokenizer key
/// is `SemanticIDTokenizer.Configuration.key`. The payload is the tokenizer in safetensors
/// (codes, raw codes, codebooks, standardisation); the registry record names the embedding
/// artefact and version it was fitted on and carries the quality report.
public struct SemanticIDCatalogue {
    /// The fitted tokenizer (its `codes` are the catalogue's unique semantic IDs).
    public let tokenizer: SemanticIDTokenizer
    /// The prefix trie of `tokenizer.codes`.
    public let trie: SemanticIDTrie
    /// The registry record it was read from or written as.
    public let artifact: Artifact
    /// Whether the codes came from the store (true) or were fitted by this call.
    public let wasStored: Bool

    /// The artefact name for `configuration` over the item embeddings `embeddingArtifact` of
    /// version `datasetVersion` of `dataset`.
    public static func artifactName(dataset: String, datasetVersion: Int, embeddingArtifact: String,
                                    configuration: SemanticIDTokenizer.Configuration,
                                    collaborative: CollaborativeItemVectors? = nil) -> String {
        artifactName(dataset: dataset, datasetVersion: datasetVersion, embeddingArtifact: embeddingArtifact,
                     tokenizerKey: (collaborative?.key ?? "") + "/" + configuration.key)
    }

    /// The artefact name for the tokenizer settings `tokenizerKey` (`/<configuration key>`, after
    /// the collaborative part `+ialsN` when there is one).
    static func artifactName(dataset: String, datasetVersion: Int, embeddingArtifact: String, tokenizerKey: String) -> String {
        let embeddingKey = embeddingArtifact.components(separatedBy: "/item-embeddings/v\(datasetVersion)/").last ?? embeddingArtifact
        return "\(dataset)/semantic-ids/v\(datasetVersion)/\(embeddingKey)\(tokenizerKey)"
    }

    /// The semantic IDs of `itemLLM`'s catalogue under `configuration`: read from `store` when
    /// the same data set version, item embeddings and settings were fitted before, otherwise
    /// fitted now and registered (one write transaction; a failed fit writes nothing).
    ///
    /// - Parameters:
    ///   - itemLLM: the catalogue's item-LLM embeddings, registered in `store` (its `artifact`).
    ///   - dataset, datasetVersion: the stored data set's name and version.
    ///   - collaborative: collaborative item vectors to append to each embedding (nil: text only).
    ///     A cold item coded later (`SemanticIDTokenizer.appendItem`) then takes its embedding
    ///     followed by `collaborative.factors` zeros.
    /// - Throws: `SemanticIDError` for bad settings, or when the embeddings are not in a store.
    public static func prepare(itemLLM: ItemLLMCatalogue, dataset: String, datasetVersion: Int, store: FeatureStore,
                               configuration: SemanticIDTokenizer.Configuration,
                               collaborative: CollaborativeItemVectors? = nil,
                               progress: ((String) -> Void)? = nil) throws -> SemanticIDCatalogue {
        guard let embeddingArtifact = itemLLM.artifact else {
            throw SemanticIDError.invalidInput("semantic IDs need item embeddings registered in the feature store")
        }
        let name = artifactName(dataset: dataset, datasetVersion: datasetVersion, embeddingArtifact: embeddingArtifact.name,
                                configuration: configuration, collaborative: collaborative)
        if let stored = try latest(named: name, in: store),
           stored.artifact.metadata["embeddingArtifactVersion"] == String(embeddingArtifact.version),
           stored.tokenizer.codes.count == itemLLM.count {
            return stored
        }
        let embeddings = itemLLM.embeddings
        var inputs = embeddings.values, inputDim = embeddings.dim
        if let collaborative {
            progress?("iALS item factors (\(collaborative.factors)) for the semantic IDs")
            let factors = try collaborative.itemVectors()
            inputs = (0..<embeddings.count).flatMap { item in
                Array(embeddings.values[item * embeddings.dim..<(item + 1) * embeddings.dim]) + factors.row(item)
            }
            inputDim += collaborative.factors
        }
        let tokenizer = try SemanticIDTokenizer.fit(embeddings: inputs, dim: inputDim, configuration: configuration,
                                                    progress: progress)
        let trie = try SemanticIDTrie(tokenizer.codes)
        let report = tokenizer.qualityReport(name: "llmrec \(configuration.method.rawValue)", embeddings: embeddings.values,
                                             dim: embeddings.dim)
        let payload = try Safetensors.encode(try tokenizer.safetensorsContents())
        let artifact = try store.write { transaction in
            try transaction.registerArtifact(named: name, blob: [UInt8](payload), metadata: [
                "datasetVersion": String(datasetVersion),
                "embeddingArtifact": embeddingArtifact.name,
                "embeddingArtifactVersion": String(embeddingArtifact.version),
                "tokenizer": configuration.key,
                "collaborativeFactors": String(collaborative?.factors ?? 0),
                "items": String(tokenizer.codes.count),
                "levels": String(tokenizer.codes.levels),
                "quality": String(decoding: try JSONEncoder().encode(report), as: UTF8.self),
            ])
        }
        return SemanticIDCatalogue(tokenizer: tokenizer, trie: trie, artifact: artifact, wasStored: false)
    }

    /// The semantic IDs `llmrec semantic-ids` stored for the tokenizer settings `tokenizerKey`
    /// (`SemanticIDTokenizer.Configuration.key`, after `+ialsN-<split>/` for collaborative codes) over `embeddingArtifact` of version
    /// `datasetVersion` (never fits).
    /// - Throws: `SemanticIDError.invalidInput` saying the command that builds them when there are
    ///   none for this version (and whether an older data set version has some).
    public static func stored(dataset: String, datasetVersion: Int, embeddingArtifact: String,
                              tokenizerKey: String, store: FeatureStore) throws -> SemanticIDCatalogue {
        // Collaborative codes are keyed `+ialsN-<split>/<settings>`, right after the embedding key.
        let suffix = tokenizerKey.hasPrefix("+") ? tokenizerKey : "/" + tokenizerKey
        let name = artifactName(dataset: dataset, datasetVersion: datasetVersion, embeddingArtifact: embeddingArtifact,
                                tokenizerKey: suffix)
        if let found = try latest(named: name, in: store) { return found }
        let command = "build them with `llmrec semantic-ids --dataset \(dataset)` and the settings that key names"
        for older in stride(from: datasetVersion - 1, through: 0, by: -1) {
            let olderEmbeddings = embeddingArtifact.replacingOccurrences(of: "/item-embeddings/v\(datasetVersion)/",
                                                                         with: "/item-embeddings/v\(older)/")
            let olderName = artifactName(dataset: dataset, datasetVersion: older, embeddingArtifact: olderEmbeddings,
                                         tokenizerKey: suffix)
            if try store.read({ try $0.latestArtifact(named: olderName) }) != nil {
                throw SemanticIDError.invalidInput("the stored semantic IDs of \(dataset) (\(tokenizerKey)) belong to data set "
                                                   + "version \(older), the data set is now version \(datasetVersion); \(command)")
            }
        }
        throw SemanticIDError.invalidInput("\(dataset) v\(datasetVersion) has no semantic IDs (\(tokenizerKey)) in \(store.path); \(command)")
    }

    /// The latest registered version of `name`, or nil when there is none.
    /// - Throws: `SemanticIDError.invalidInput` when the stored payload does not decode.
    public static func latest(named name: String, in store: FeatureStore) throws -> SemanticIDCatalogue? {
        let found: (Artifact, [UInt8]?)? = try store.read { transaction in
            guard let artifact = try transaction.latestArtifact(named: name) else { return nil }
            return (artifact, try transaction.withArtifactBlob(named: name, version: artifact.version) { Array($0) })
        }
        guard let (artifact, blob) = found else { return nil }
        guard let blob else { throw SemanticIDError.invalidInput("\(store.path): \(name) v\(artifact.version) has no payload") }
        let tokenizer: SemanticIDTokenizer
        do {
            tokenizer = try SemanticIDTokenizer(contents: try Safetensors.decode(Data(blob)))
        } catch let error as SafetensorsError {
            throw SemanticIDError.invalidInput("\(store.path): \(name) v\(artifact.version): \(error)")
        }
        return SemanticIDCatalogue(tokenizer: tokenizer, trie: try SemanticIDTrie(tokenizer.codes), artifact: artifact,
                                   wasStored: true)
    }
}
