import NeuralNet

/// Item-text features with the item LLM's top layers trained end to end (HLLM, Chen et al. 2024,
/// §3.1, with the bottom of the item LLM frozen to keep the cost down): the bottom
/// `layerCount - trainableLayers` layers and the embeddings run once over the whole catalogue at
/// construction and their hidden states are cached; each `forward` runs only the top
/// `trainableLayers` layers, mean pooling and L2 normalisation on the requested items, and
/// `backward` trains the top layers.
///
/// The top layers are deep copies of the model's (`BertLayer.deepCopy`), so every instance starts
/// from the pretrained weights and training one leaves the `BertModel` and other instances
/// unchanged. Copying an instance shares its parameters but not its caches (the `NeuralNet`
/// convention).
///
/// Shapes: the cache is `[Σ lengths, dim]`, packed in item order; features are `[items.count, dim]`.
public struct FineTunedItemTextFeatures: ItemTextFeatures {
    /// Width of a feature, the encoder's hidden size (384 for all-MiniLM-L6-v2).
    public let dim: Int
    /// Catalogue items (ids `0..<count`).
    public let count: Int
    /// Top layers trained (`1...layerCount`).
    public let trainableLayers: Int
    /// The trainable top layers, bottom first (layers `layerCount - trainableLayers ..< layerCount`
    /// of the model, with their own parameters).
    public private(set) var layers: [BertLayer]
    /// Target tokens per packed batch when encoding the catalogue and in `forward` without training.
    public let tokensPerBatch: Int
    private let cache: [Float]
    private let itemStarts: [Int]
    private let itemLengths: [Int]
    private var pooling: MeanPooling
    private var normalization: L2Normalization
    private var canBackward = false

    /// Features over the catalogue whose item `i` has token ids `itemTokens[i]` (with `[CLS]` and
    /// `[SEP]`, non-empty, at most `maxPositionEmbeddings` long).
    ///
    /// - Parameters:
    ///   - model: the pretrained encoder; its bottom layers run here once (not changed).
    ///   - trainableLayers: top layers to train, `1...model.layers.count`.
    ///   - dropoutRate: dropout on the top layers' residual branches in training; `nil` keeps the
    ///     model's layers' rate.
    ///   - tokensPerBatch: batch size in tokens for the frozen pass and for inference.
    public init(model: BertModel, itemTokens: [[Int32]], trainableLayers: Int, dropoutRate: Float? = nil,
                tokensPerBatch: Int = 4096) {
        precondition((1...model.layers.count).contains(trainableLayers),
                     "trainableLayers must be in 1...\(model.layers.count)")
        precondition(itemTokens.allSatisfy { !$0.isEmpty }, "every item needs at least one token")
        var model = model
        let dim = model.dim
        let frozen = model.layers.count - trainableLayers
        self.dim = dim
        count = itemTokens.count
        self.trainableLayers = trainableLayers
        self.tokensPerBatch = tokensPerBatch
        layers = model.layers[frozen...].enumerated().map { $1.deepCopy(dropoutRate: dropoutRate, seed: UInt64($0)) }
        let lengths = itemTokens.map(\.count)
        itemLengths = lengths
        var starts: [Int] = []
        starts.reserveCapacity(count)
        var row = 0
        for length in lengths {
            starts.append(row)
            row += length
        }
        itemStarts = starts
        var cache = [Float](repeating: 0, count: row * dim)
        for batch in SentenceEncoder.batches(lengths: lengths, tokensPerBatch: tokensPerBatch) {
            let (embedded, layout) = model.embed(batch.map { itemTokens[$0] })
            let hidden = model.run(layers: 0..<frozen, hidden: embedded, layout: layout)
            cache.withUnsafeMutableBufferPointer { cache in
                hidden.withUnsafeBufferPointer { hidden in
                    for (b, item) in batch.enumerated() {
                        let source = UnsafeBufferPointer(rebasing: hidden[layout.starts[b] * dim..<(layout.starts[b] + layout.lengths[b]) * dim])
                        _ = UnsafeMutableBufferPointer(rebasing: cache[starts[item] * dim..<(starts[item] + lengths[item]) * dim])
                            .update(fromContentsOf: source)
                    }
                }
            }
        }
        self.cache = cache
        pooling = MeanPooling(dim: dim)
        normalization = L2Normalization(dim: dim)
    }

    /// The top layers' parameters (what fine-tuning trains).
    public var parameters: [Parameter] { layers.flatMap(\.parameters) }

    /// Unit-norm features `[items.count, dim]`, row `r` for `items[r]`; dropout only when `training`.
    ///
    /// With `training` the requested items run as one packed batch whose activations `backward`
    /// uses. Without it they run in batches of about `tokensPerBatch` tokens (so scoring the whole
    /// catalogue stays within memory) and `backward` is not available until the next training
    /// `forward`.
    public mutating func forward(items: [Int32], training: Bool) -> [Float] {
        precondition(items.allSatisfy { $0 >= 0 && Int($0) < count }, "an item id is outside 0..<\(count)")
        if training {
            canBackward = true
            return runTop(items, training: true)
        }
        canBackward = false
        var features = [Float](repeating: 0, count: items.count * dim)
        for batch in SentenceEncoder.batches(lengths: items.map { itemLengths[Int($0)] }, tokensPerBatch: tokensPerBatch) {
            let rows = runTop(batch.map { items[$0] }, training: false)
            for (r, index) in batch.enumerated() {
                features.replaceSubrange(index * dim..<(index + 1) * dim, with: rows[r * dim..<(r + 1) * dim])
            }
        }
        return features
    }

    /// Accumulates the top layers' parameter gradients from dLoss/dfeatures `[items.count, dim]` of
    /// the last training `forward`.
    public mutating func backward(_ dFeatures: [Float]) {
        precondition(canBackward, "backward needs a forward with training: true first")
        var gradient = pooling.backward(normalization.backward(dFeatures))
        for index in layers.indices.reversed() { gradient = layers[index].backward(gradient) }
    }

    /// The cached rows of `items`, packed, through the top layers, pooling and normalisation.
    private mutating func runTop(_ items: [Int32], training: Bool) -> [Float] {
        let lengths = items.map { itemLengths[Int($0)] }
        let layout = SequenceLayout.packed(lengths: lengths)
        var hidden = [Float](repeating: 0, count: layout.rowCount * dim)
        let dim = dim
        hidden.withUnsafeMutableBufferPointer { hidden in
            cache.withUnsafeBufferPointer { cache in
                for (b, item) in items.enumerated() {
                    let start = itemStarts[Int(item)] * dim
                    _ = UnsafeMutableBufferPointer(rebasing: hidden[layout.starts[b] * dim..<(layout.starts[b] + lengths[b]) * dim])
                        .update(fromContentsOf: UnsafeBufferPointer(rebasing: cache[start..<start + lengths[b] * dim]))
                }
            }
        }
        for index in layers.indices { hidden = layers[index].forward(hidden, layout: layout, training: training) }
        return normalization.forward(pooling.forward(hidden, layout: layout))
    }
}
