import NeuralNet
import SeededRandom

/// SASRec's user model without its item table (Kang & McAuley 2018): learned positional
/// embeddings added to the item inputs, dropout, then causal pre-LN transformer blocks (a
/// feed-forward network of width `feedForwardMultiplier · dim`, ReLU by default, LayerNorm ε 1e-8)
/// with a final LayerNorm. SASRec feeds it item-ID
/// embeddings, HLLM item representations from text (Chen et al. 2024).
///
/// Shapes: inputs and hidden states `[layout.rowCount, dim]` (packed layout). Parameters are named
/// `positions` and `encoder.*`.
struct SequentialUserModel {
    /// `[maxLength, dim]`.
    var positions: PositionalEmbedding
    /// Dropout on the inputs plus positions.
    var inputDropout: Dropout
    /// The causal transformer.
    var encoder: TransformerEncoder

    /// A freshly initialised user model drawing from `random` in this order: positions (Xavier
    /// normal), the dropout seed, the encoder.
    init(dim: Int, heads: Int, blocks: Int, maxLength: Int, dropout: Float, feedForwardMultiplier: Int = 1,
         activation: ActivationFunction = .relu, random: inout SplitMix64) {
        positions = PositionalEmbedding(name: "positions", maxLength: maxLength, dim: dim,
                                        initializer: .xavierNormal(fanIn: maxLength, fanOut: dim), random: &random)
        inputDropout = Dropout(rate: dropout, seed: random.next())
        let shape = TransformerBlock.Shape(dim: dim, heads: heads, hidden: feedForwardMultiplier * dim, causal: true,
                                           activation: activation,
                                           dropoutRate: dropout, layerNormEpsilon: 1e-8)
        encoder = TransformerEncoder(name: "encoder", count: blocks, shape: shape, random: &random)
    }

    /// The positions' parameters, then the encoder's.
    var parameters: [Parameter] { positions.parameters + encoder.parameters }

    /// Hidden states from the item inputs; dropout only when `training`.
    mutating func forward(_ inputs: [Float], layout: SequenceLayout, training: Bool) -> [Float] {
        let embedded = positions.forward(inputs, layout: layout)
        return encoder.forward(inputDropout.forward(embedded, training: training), layout: layout, training: training)
    }

    /// Each sequence's last row of `hidden` (`[layout.rowCount, dim]`): the user states that score
    /// the next item, `[layout.lengths.count, dim]`, zeros for an empty sequence.
    static func lastStates(_ hidden: [Float], layout: SequenceLayout, dim: Int) -> [Float] {
        var last = [Float](repeating: 0, count: layout.lengths.count * dim)
        for (b, (start, length)) in zip(layout.starts, layout.lengths).enumerated() where length > 0 {
            let row = (start + length - 1) * dim
            last.replaceSubrange(b * dim..<(b + 1) * dim, with: hidden[row..<row + dim])
        }
        return last
    }

    /// dLoss/dinputs from dLoss/dhidden of the last `forward`, accumulating every gradient.
    mutating func backward(_ dHidden: [Float]) -> [Float] {
        let dInputs = inputDropout.backward(encoder.backward(dHidden))
        positions.backward(dInputs)
        return dInputs
    }
}
