import Foundation
import NeuralNet
import SeededRandom

/// A BERT encoder (Devlin et al. 2019, "BERT: Pre-training of Deep Bidirectional Transformers for
/// Language Understanding"): token, position and segment embeddings, then `layerCount` post-LN
/// transformer layers (`BertLayer`). The default item LLM is all-MiniLM-L6-v2, a 6-layer, 384-wide
/// MiniLM (Wang et al. 2020, "MiniLM: Deep Self-Attention Distillation for Task-Agnostic
/// Compression of Pre-Trained Transformers") fine-tuned by sentence-transformers for sentence
/// embeddings.
///
/// Sequences are run in a packed `SequenceLayout` (back to back, no padding), so no work is spent
/// on padding and no attention mask is needed. Shapes: hidden states `[layout.rowCount, dim]`.
///
/// Layers are value types with shared `Parameter`s (see `BertLayer`): copying the model is cheap
/// and gives an independent set of activation caches for another thread.
public struct BertModel {
    /// The architecture.
    public let config: BertConfig
    /// The input layer (frozen).
    public var embeddings: BertEmbeddings
    /// The encoder layers, bottom first; layer `i`'s parameters load from `encoder.layer.i.*`.
    public var layers: [BertLayer]

    /// A model of `config` with random weights (`BertLayer`'s initialisation; zero embeddings): for
    /// tests, or to be filled by `load(from:)`.
    public init(config: BertConfig, dropoutRate: Float = 0, random: inout SplitMix64) {
        self.config = config
        embeddings = BertEmbeddings(config: config)
        layers = (0..<config.layerCount).map { index in
            BertLayer(name: "encoder.layer.\(index)", dim: config.hiddenSize, heads: config.headCount,
                      intermediateSize: config.intermediateSize, activation: config.activation,
                      epsilon: config.layerNormEpsilon, dropoutRate: dropoutRate, random: &random)
        }
    }

    /// The pretrained model in `directory` (`config.json` and `model.safetensors`); throws
    /// `ItemLLMError` naming the file and the missing or mis-shaped tensor. Dropout on the residual
    /// branches uses `dropoutRate` in training (0: none).
    public init(directory: ModelDirectory, dropoutRate: Float = 0) throws {
        let config = try BertConfig.load(from: directory.configURL)
        var random = SplitMix64(seed: 0x5EED_BE27)
        self.init(config: config, dropoutRate: dropoutRate, random: &random)
        try load(from: BertCheckpoint(url: directory.weightsURL))
    }

    /// Width of a hidden state.
    public var dim: Int { config.hiddenSize }

    /// Sets every weight from the Hugging Face tensor names of `checkpoint` (no `bert.` prefix):
    /// `embeddings.*`, and per layer `encoder.layer.i.attention.self.{query,key,value}`,
    /// `attention.output.dense`, `attention.output.LayerNorm`, `intermediate.dense`, `output.dense`,
    /// `output.LayerNorm`. The query, key and value weights `[dim, dim]` are stacked into the fused
    /// `[3·dim, dim]` projection. Nothing is changed when a tensor is missing or mis-shaped.
    public func load(from checkpoint: BertCheckpoint) throws {
        let (dim, hidden) = (config.hiddenSize, config.intermediateSize)
        var assignments: [(Parameter, [Float])] = []
        func take(_ parameter: Parameter, _ names: [String], shape: [Int]) throws {
            assignments.append((parameter, try names.flatMap { try checkpoint.tensor($0, shape: shape) }))
        }
        try take(embeddings.words.table, ["embeddings.word_embeddings.weight"], shape: [config.vocabularySize, dim])
        try take(embeddings.positions.table, ["embeddings.position_embeddings.weight"],
                 shape: [config.maxPositionEmbeddings, dim])
        try take(embeddings.tokenTypes, ["embeddings.token_type_embeddings.weight"], shape: [config.typeVocabularySize, dim])
        try take(embeddings.norm.gain, ["embeddings.LayerNorm.weight"], shape: [dim])
        try take(embeddings.norm.bias, ["embeddings.LayerNorm.bias"], shape: [dim])
        for (index, layer) in layers.enumerated() {
            let prefix = "encoder.layer.\(index)."
            let qkv = ["query", "key", "value"].map { prefix + "attention.self.\($0)" }
            try take(layer.attention.qkv.weight, qkv.map { $0 + ".weight" }, shape: [dim, dim])
            try take(layer.attention.qkv.bias, qkv.map { $0 + ".bias" }, shape: [dim])
            try take(layer.attention.output.weight, [prefix + "attention.output.dense.weight"], shape: [dim, dim])
            try take(layer.attention.output.bias, [prefix + "attention.output.dense.bias"], shape: [dim])
            try take(layer.attentionNorm.gain, [prefix + "attention.output.LayerNorm.weight"], shape: [dim])
            try take(layer.attentionNorm.bias, [prefix + "attention.output.LayerNorm.bias"], shape: [dim])
            try take(layer.feedForward.expand.weight, [prefix + "intermediate.dense.weight"], shape: [hidden, dim])
            try take(layer.feedForward.expand.bias, [prefix + "intermediate.dense.bias"], shape: [hidden])
            try take(layer.feedForward.contract.weight, [prefix + "output.dense.weight"], shape: [dim, hidden])
            try take(layer.feedForward.contract.bias, [prefix + "output.dense.bias"], shape: [dim])
            try take(layer.outputNorm.gain, [prefix + "output.LayerNorm.weight"], shape: [dim])
            try take(layer.outputNorm.bias, [prefix + "output.LayerNorm.bias"], shape: [dim])
        }
        for (parameter, values) in assignments { parameter.value = values }
    }

    /// The embedding layer's output for `sequences` of token ids (`[CLS] ... [SEP]`, each at most
    /// `maxPositionEmbeddings` long): hidden states `[Σ lengths, dim]` and their packed layout.
    public mutating func embed(_ sequences: [[Int32]]) -> (hidden: [Float], layout: SequenceLayout) {
        precondition(sequences.allSatisfy { $0.count <= config.maxPositionEmbeddings },
                     "a sequence is longer than \(config.maxPositionEmbeddings) tokens")
        precondition(sequences.allSatisfy { $0.allSatisfy { $0 >= 0 && Int($0) < config.vocabularySize } },
                     "a token id is outside the vocabulary")
        return embeddings.forward(sequences)
    }

    /// Runs `layers[range]` bottom to top on `hidden` `[layout.rowCount, dim]`; returns the top's
    /// output, same shape. Dropout only when `training`.
    public mutating func run(layers range: Range<Int>, hidden: [Float], layout: SequenceLayout,
                             training: Bool = false) -> [Float] {
        var hidden = hidden
        for index in range { hidden = layers[index].forward(hidden, layout: layout, training: training) }
        return hidden
    }

    /// The last layer's hidden states `[Σ lengths, dim]` for `sequences` and their packed layout.
    public mutating func encode(_ sequences: [[Int32]]) -> (hidden: [Float], layout: SequenceLayout) {
        let (embedded, layout) = embed(sequences)
        return (run(layers: 0..<layers.count, hidden: embedded, layout: layout), layout)
    }
}
