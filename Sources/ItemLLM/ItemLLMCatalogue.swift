import Datasets
import FeatureStore
import Foundation

/// The item LLM applied to one data set's catalogue: every item's text (through an
/// `ItemTextTemplate`), its WordPiece token ids, and the frozen sentence embeddings — read from
/// the feature store when this data set version, model, template and token budget were encoded
/// before, otherwise encoded now and registered there.
///
/// What HLLM gets from it: `features(trainableLayers: 0)` is the frozen `[count, 384]` table;
/// `features(trainableLayers: N)` a fresh `FineTunedItemTextFeatures` with the top N layers of
/// the item LLM trainable (starting from the pretrained weights every time).
public final class ItemLLMCatalogue {
    /// How the item texts were written: its `name` (part of the embeddings' key) and its `slots`.
    public let template: ItemTextTemplate
    /// Token budget per item, `[CLS]` and `[SEP]` included.
    public let maxTokens: Int
    /// Item texts, `[count]`, for internal item ids `0..<count`.
    public let texts: [String]
    /// Token ids per item (with `[CLS]`/`[SEP]`), `[count][≤ maxTokens]`.
    public let tokenIDs: [[Int32]]
    /// The frozen embeddings, `[count, dim]`.
    public let embeddings: CatalogueEmbeddings
    /// The store artefact the embeddings were read from or registered as, when a store was given.
    public let artifact: Artifact?
    /// Throughput of the encoding when this call encoded the catalogue; nil when it was read back.
    public let encoding: SentenceEncoder.Statistics?
    private let modelDirectory: ModelDirectory
    /// The item LLM's weights, read only when something needs them (encoding here, or fine-tuning):
    /// a catalogue whose embeddings come from the store never loads them for frozen features.
    private var loadedModel: BertModel?

    /// Prepares the catalogue of `dataset`.
    ///
    /// - Parameters:
    ///   - dataset: the items (their `ItemRecord` fields are the text).
    ///   - store: where the embeddings are cached as `CatalogueEmbeddings.artifactName(...)`; nil
    ///     encodes without caching.
    ///   - datasetVersion: the stored data set's version (part of the artefact key).
    ///   - template: how item texts are written (part of the artefact key); nil derives it from the
    ///     fields the items carry (`ItemTextTemplate.derived(from:)`).
    ///   - modelDirectory: the pretrained item LLM.
    ///   - maxTokens: token budget per item (16...512).
    ///   - progress: a line after each encoded batch (not called when the store has the embeddings).
    public init(dataset: InteractionDataset, store: FeatureStore? = nil, datasetVersion: Int = 0,
                template: ItemTextTemplate? = nil, modelDirectory: ModelDirectory,
                maxTokens: Int = 64, progress: ((String) -> Void)? = nil) throws {
        precondition((16...512).contains(maxTokens), "maxTokens must lie in 16...512")
        let items = dataset.items.count == dataset.numItems
            ? dataset.items : dataset.itemIDs.map { ItemRecord(rawID: $0, fields: [:]) }
        let template = template ?? ItemTextTemplate.derived(from: items)
        self.template = template
        self.maxTokens = maxTokens
        texts = items.map(template.text(for:))
        let tokenizer = try BertTokenizer(vocabularyURL: modelDirectory.vocabularyURL)
        tokenIDs = tokenizer.encode(texts, maxLength: maxTokens)
        self.modelDirectory = modelDirectory

        let weightsDigest = try SHA256.hexDigest(ofFileAt: modelDirectory.weightsURL.path)
        let modelKey = modelDirectory.url.lastPathComponent + "-" + weightsDigest.prefix(12)
        let name = CatalogueEmbeddings.artifactName(dataset: dataset.name, datasetVersion: datasetVersion,
                                                    model: modelKey, template: template.name, maxTokens: maxTokens)
        if let store, let (cached, artifact) = try CatalogueEmbeddings.latest(named: name, in: store),
           cached.count == dataset.numItems {
            embeddings = cached
            self.artifact = artifact
            encoding = nil
            return
        }
        let model = try BertModel(directory: modelDirectory)
        loadedModel = model
        var encoder = SentenceEncoder(model: model)
        let tokenIDs = self.tokenIDs, total = tokenIDs.count
        let (values, statistics) = encoder.encode(tokenIDs) { done in
            progress?("item LLM: encoded \(done)/\(total) items")
        }
        let embeddings = CatalogueEmbeddings(values: values, dim: model.dim)
        self.embeddings = embeddings
        encoding = statistics
        artifact = try store.map { store in
            try embeddings.register(named: name, in: store, metadata: [
                "template": template.name, "maxTokens": String(maxTokens), "model": modelKey,
                "weightsSHA256": weightsDigest, "tokens": String(statistics.tokens),
                "itemsPerSecond": String(format: "%.1f", statistics.itemsPerSecond),
            ])
        }
    }

    /// Number of items.
    public var count: Int { embeddings.count }

    /// HLLM's item features: the frozen table when `trainableLayers` is 0, otherwise the item LLM
    /// with its top `trainableLayers` layers trainable (a fresh copy of the pretrained weights).
    public func features(trainableLayers: Int) throws -> any ItemTextFeatures {
        guard trainableLayers > 0 else { return embeddings.frozenFeatures }
        let model = try loadedModel ?? BertModel(directory: modelDirectory)
        loadedModel = model
        guard trainableLayers <= model.layers.count else {
            throw ItemLLMError.invalidSetting("trainable item-LLM layers must lie in 0...\(model.layers.count), not \(trainableLayers)")
        }
        return FineTunedItemTextFeatures(model: model, itemTokens: tokenIDs, trainableLayers: trainableLayers)
    }

    /// The `k` items whose frozen embeddings are most similar (cosine) to item `item`'s, best first.
    public func nearestNeighbours(of item: Int, k: Int) -> [(item: Int, cosine: Float)] {
        let dim = embeddings.dim, values = embeddings.values
        let query = values[item * dim..<(item + 1) * dim]
        let scored = (0..<count).filter { $0 != item }.map { other -> (item: Int, cosine: Float) in
            var dot: Float = 0
            for (a, b) in zip(query, values[other * dim..<(other + 1) * dim]) { dot += a * b }
            return (other, dot)
        }
        return Array(scored.sorted { $0.cosine != $1.cosine ? $0.cosine > $1.cosine : $0.item < $1.item }.prefix(k))
    }
}
