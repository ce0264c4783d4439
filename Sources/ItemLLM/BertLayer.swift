import NeuralNet
import SeededRandom

/// One BERT encoder layer (Devlin et al. 2019; Vaswani et al. 2017's post-LN placement of the
/// LayerNorms):
///
///     h = LN₁(x + Dropout(SelfAttention(x)))
///     y = LN₂(h + Dropout(W₂ GELU(W₁ h + b₁) + b₂))
///
/// Attention is bidirectional (no causal mask) and sees only the rows of its own sequence of the
/// `SequenceLayout`; the query, key and value projections are one fused `[3·dim, dim]` linear layer
/// whose weight is the row-concatenation of Hugging Face's `query`, `key` and `value` weights.
/// Dropout is on both residual branches as in Hugging Face's `BertSelfOutput` and `BertOutput`
/// (attention-probability dropout is not implemented); rate 0 for inference.
///
/// Shapes: input and output `[layout.rowCount, dim]`. Like every `NeuralNet` layer, `forward` keeps
/// what `backward` needs and copying the value shares its `Parameter`s (see `deepCopy()`).
public struct BertLayer {
    /// Prefix of the parameter names (`"encoder.layer.3"`).
    public let name: String
    /// Model width `dim`.
    public let dim: Int
    /// Attention heads (`dim` is a multiple).
    public let heads: Int
    /// Hidden width of the feed-forward network.
    public let intermediateSize: Int
    /// LayerNorm epsilon.
    public let epsilon: Float
    /// Dropout rate on the two residual branches (in training only).
    public let dropoutRate: Float
    /// Bidirectional self-attention: `qkv` `[3·dim, dim]` (Q, K, V rows), `output` `[dim, dim]`.
    public var attention: MultiHeadSelfAttention
    /// Dropout on the attention branch.
    public var attentionDropout: Dropout
    /// LN₁ (Hugging Face's `attention.output.LayerNorm`).
    public var attentionNorm: LayerNorm
    /// `expand` `[intermediate, dim]` (`intermediate.dense`), GELU, `contract` `[dim, intermediate]`
    /// (`output.dense`); its inner dropout is off (BERT has none there).
    public var feedForward: FeedForward
    /// Dropout on the feed-forward branch.
    public var feedForwardDropout: Dropout
    /// LN₂ (Hugging Face's `output.LayerNorm`).
    public var outputNorm: LayerNorm

    /// A randomly initialised layer named `name` (parameters `name.attention.qkv.weight`, ...):
    /// Xavier-uniform weights, zero biases, unit LayerNorm gains.
    public init(name: String, dim: Int, heads: Int, intermediateSize: Int, activation: ActivationFunction = .geluErf,
                epsilon: Float = 1e-12, dropoutRate: Float = 0, random: inout SplitMix64) {
        self.name = name
        self.dim = dim
        self.heads = heads
        self.intermediateSize = intermediateSize
        self.epsilon = epsilon
        self.dropoutRate = dropoutRate
        attention = MultiHeadSelfAttention(name: name + ".attention", dim: dim, heads: heads, causal: false, random: &random)
        attentionDropout = Dropout(rate: dropoutRate, seed: random.next())
        attentionNorm = LayerNorm(name: name + ".attentionNorm", dim: dim, epsilon: epsilon)
        feedForward = FeedForward(name: name + ".feedForward", dim: dim, hidden: intermediateSize, activation: activation,
                                  dropoutRate: 0, random: &random)
        feedForwardDropout = Dropout(rate: dropoutRate, seed: random.next())
        outputNorm = LayerNorm(name: name + ".outputNorm", dim: dim, epsilon: epsilon)
    }

    /// Every parameter: attention (`qkv` weight, bias, `output` weight, bias), LN₁ (gain, bias),
    /// feed-forward (`expand` weight, bias, `contract` weight, bias), LN₂ (gain, bias).
    public var parameters: [Parameter] {
        attention.parameters + attentionNorm.parameters + feedForward.parameters + outputNorm.parameters
    }

    /// A layer of the same shape with its own `Parameter`s holding copies of this layer's values
    /// (gradients zero), so training the copy leaves this one unchanged. Dropout uses `dropoutRate`
    /// (this layer's when `nil`), its masks seeded from `seed`.
    public func deepCopy(dropoutRate: Float? = nil, seed: UInt64 = 0) -> BertLayer {
        var random = SplitMix64(seed: seed)
        let copy = BertLayer(name: name, dim: dim, heads: heads, intermediateSize: intermediateSize,
                             activation: feedForward.activation.function, epsilon: epsilon,
                             dropoutRate: dropoutRate ?? self.dropoutRate, random: &random)
        for (target, source) in zip(copy.parameters, parameters) { target.value = source.value }
        return copy
    }

    /// `[layout.rowCount, dim] -> [layout.rowCount, dim]`; dropout only when `training`.
    public mutating func forward(_ x: [Float], layout: SequenceLayout, training: Bool) -> [Float] {
        precondition(x.count == layout.rowCount * dim, "input is not [\(layout.rowCount), \(dim)]")
        var h = attentionDropout.forward(attention.forward(x, layout: layout), training: training)
        VectorMath.add(x, into: &h)
        h = attentionNorm.forward(h)
        var y = feedForwardDropout.forward(feedForward.forward(h, training: training), training: training)
        VectorMath.add(h, into: &y)
        return outputNorm.forward(y)
    }

    /// dLoss/dx from dLoss/dy `[rowCount, dim]` of the last `forward`, accumulating every parameter's
    /// gradient.
    public mutating func backward(_ dy: [Float]) -> [Float] {
        var dh = outputNorm.backward(dy)
        VectorMath.add(feedForward.backward(feedForwardDropout.backward(dh)), into: &dh)
        var dx = attentionNorm.backward(dh)
        VectorMath.add(attention.backward(attentionDropout.backward(dx)), into: &dx)
        return dx
    }
}
