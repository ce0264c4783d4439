import NeuralNet
import SeededRandom

/// SASRec's network (Kang & McAuley 2018, "Self-Attentive Sequential Recommendation"): item
/// embeddings scaled by √dim plus learned positional embeddings, dropout, then a stack of causal
/// pre-LN transformer blocks with a final LayerNorm. The item table doubles as the output layer
/// (shared input/output embeddings): the score of item `j` after position `t` is `h_t · E_j`.
///
/// Shapes: item ids `[rows]` laid out by a `SequenceLayout`, hidden states `[rows, dim]`.
/// Copying the struct copies its activation caches but shares the parameters, so each scoring
/// thread runs its own copy.
struct SASRecNetwork {
    /// `[numItems, dim]`, input and output embeddings.
    var items: Embedding
    /// Positions, dropout and the causal transformer.
    var userModel: SequentialUserModel

    /// A freshly initialised network (Xavier-normal embeddings as in the PyTorch SASRec, Xavier-
    /// uniform projections) from `random`.
    init(numItems: Int, config: SASRec.Config, random: inout SplitMix64) {
        items = Embedding(name: "items", count: numItems, dim: config.dim, scale: Float(config.dim).squareRoot(),
                          initializer: .xavierNormal(fanIn: numItems, fanOut: config.dim), random: &random)
        userModel = SequentialUserModel(dim: config.dim, heads: config.heads, blocks: config.blocks,
                                        maxLength: config.maxLength, dropout: config.dropout,
                                        feedForwardMultiplier: config.feedForwardMultiplier, activation: config.activation,
                                        random: &random)
    }

    /// Every parameter: the item table first.
    var parameters: [Parameter] { items.parameters + userModel.parameters }

    /// Hidden states `[layout.rowCount, dim]` for item ids `[layout.rowCount]` (packed layout).
    mutating func forward(_ ids: [Int32], layout: SequenceLayout, training: Bool) -> [Float] {
        userModel.forward(items.forward(ids), layout: layout, training: training)
    }

    /// Accumulates every parameter's gradient from dLoss/dhidden `[rows, dim]`.
    mutating func backward(_ dHidden: [Float]) {
        items.backward(userModel.backward(dHidden))
    }
}
