import NeuralNet
import SeededRandom

/// BERT's input layer (Devlin et al. 2019, §3): for the token at position `t` of a sequence,
/// `LN(wordEmbedding[id] + tokenTypeEmbedding[0] + positionEmbedding[t])` (single-segment inputs,
/// so the token type is always 0).
///
/// Shapes: token ids `[Σ lengths]` (sequences back to back) -> hidden states `[Σ lengths, dim]` in a
/// packed `SequenceLayout`. The embeddings stay frozen when the item LLM is fine-tuned, so there is
/// no `backward`.
public struct BertEmbeddings {
    /// Width of a hidden state.
    public let dim: Int
    /// `[vocabularySize, dim]`, Hugging Face's `embeddings.word_embeddings.weight`.
    public var words: Embedding
    /// `[maxPositionEmbeddings, dim]`, `embeddings.position_embeddings.weight`.
    public var positions: PositionalEmbedding
    /// `[typeVocabularySize, dim]`, `embeddings.token_type_embeddings.weight`.
    public let tokenTypes: Parameter
    /// `embeddings.LayerNorm`.
    public var norm: LayerNorm

    /// Zero tables and a unit LayerNorm for `config` (values are set by `BertModel`'s loader or a test).
    public init(config: BertConfig) {
        dim = config.hiddenSize
        var random = SplitMix64(seed: 0)
        words = Embedding(name: "embeddings.word_embeddings.weight", count: config.vocabularySize, dim: dim,
                          initializer: .constant(0), decays: false, random: &random)
        positions = PositionalEmbedding(name: "embeddings.position_embeddings.weight", maxLength: config.maxPositionEmbeddings,
                                        dim: dim, initializer: .constant(0), random: &random)
        tokenTypes = Parameter(name: "embeddings.token_type_embeddings.weight", shape: [config.typeVocabularySize, dim],
                               value: [Float](repeating: 0, count: config.typeVocabularySize * dim), decays: false)
        norm = LayerNorm(name: "embeddings.LayerNorm", dim: dim, epsilon: config.layerNormEpsilon)
    }

    /// Every table and the LayerNorm's gain and bias.
    public var parameters: [Parameter] { words.parameters + positions.parameters + [tokenTypes] + norm.parameters }

    /// Hidden states `[layout.rowCount, dim]` of `sequences` (each id in `0..<vocabularySize`, each
    /// sequence at most `maxPositionEmbeddings` long) and their packed layout.
    public mutating func forward(_ sequences: [[Int32]]) -> (hidden: [Float], layout: SequenceLayout) {
        let layout = SequenceLayout.packed(lengths: sequences.map(\.count))
        var hidden = words.forward(sequences.flatMap { $0 })
        let dim = dim
        tokenTypes.value.withUnsafeBufferPointer { type0 in
            hidden.withUnsafeMutableBufferPointer { hidden in
                for row in 0..<layout.rowCount {
                    let target = hidden.baseAddress! + row * dim
                    for j in 0..<dim { target[j] += type0[j] }
                }
            }
        }
        hidden = positions.forward(hidden, layout: layout)
        return (norm.forward(hidden), layout)
    }
}
