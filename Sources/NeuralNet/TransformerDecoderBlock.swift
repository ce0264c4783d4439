import SeededRandom

/// A pre-LN transformer decoder block (Vaswani et al. 2017, §3.1, with Xiong et al. 2020's LayerNorm
/// placement, as `TransformerBlock`): causal self-attention over the decoded tokens, cross-attention
/// to an encoder memory, then the feed-forward network, each on a residual branch:
///
///     h₁ = x  + Dropout(SelfAttention(LN₁(x)))
///     h₂ = h₁ + Dropout(CrossAttention(LN₂(h₁), memory))
///     y  = h₂ + Dropout(FeedForward(LN₃(h₂)))
///
/// Shapes: `x` and `y` `[layout.rowCount, dim]`; `memory` `[memoryLayout.rowCount, dim]`. The
/// self-attention runs over `layout`; the cross-attention groups the same rows by `crossLayout`
/// (sequence `b` of it attends to sequence `b` of `memoryLayout`), so several decoded sequences can
/// share one memory sequence, each reading a prefix of it through `keyLimits`. TIGER's decoder.
public struct TransformerDecoderBlock {
    /// Model width.
    public let dim: Int
    /// LayerNorm before self-attention.
    public var selfAttentionNorm: LayerNorm
    /// Causal self-attention over the decoded tokens.
    public var selfAttention: MultiHeadSelfAttention
    /// LayerNorm before cross-attention.
    public var crossAttentionNorm: LayerNorm
    /// Attention to the encoder memory.
    public var crossAttention: CrossAttention
    /// LayerNorm before the feed-forward network.
    public var feedForwardNorm: LayerNorm
    /// The feed-forward network.
    public var feedForward: FeedForward
    private var selfDropout: Dropout
    private var crossDropout: Dropout
    private var feedForwardDropout: Dropout

    /// A block named `name` (`name.selfAttention`, `name.crossAttention`, ...) of `shape` (whose
    /// `causal` is ignored: decoder self-attention is always causal).
    public init(name: String, shape: TransformerBlock.Shape, random: inout SplitMix64) {
        dim = shape.dim
        selfAttentionNorm = LayerNorm(name: name + ".selfAttentionNorm", dim: shape.dim, epsilon: shape.layerNormEpsilon)
        selfAttention = MultiHeadSelfAttention(name: name + ".selfAttention", dim: shape.dim, heads: shape.heads,
                                               causal: true, random: &random)
        crossAttentionNorm = LayerNorm(name: name + ".crossAttentionNorm", dim: shape.dim, epsilon: shape.layerNormEpsilon)
        crossAttention = CrossAttention(name: name + ".crossAttention", dim: shape.dim, memoryDim: shape.dim,
                                        heads: shape.heads, random: &random)
        feedForwardNorm = LayerNorm(name: name + ".feedForwardNorm", dim: shape.dim, epsilon: shape.layerNormEpsilon)
        feedForward = FeedForward(name: name + ".feedForward", dim: shape.dim, hidden: shape.hidden,
                                  activation: shape.activation, dropoutRate: shape.dropoutRate, random: &random)
        selfDropout = Dropout(rate: shape.dropoutRate, seed: random.next())
        crossDropout = Dropout(rate: shape.dropoutRate, seed: random.next())
        feedForwardDropout = Dropout(rate: shape.dropoutRate, seed: random.next())
    }

    /// The block's parameters.
    public var parameters: [Parameter] {
        selfAttentionNorm.parameters + selfAttention.parameters + crossAttentionNorm.parameters
            + crossAttention.parameters + feedForwardNorm.parameters + feedForward.parameters
    }

    /// `x [layout.rowCount, dim] -> [layout.rowCount, dim]`; dropout only when `training`.
    ///
    /// - Parameters:
    ///   - layout: the decoded sequences (causal self-attention within each).
    ///   - crossLayout: the same rows grouped by memory sequence (`crossLayout.count == memoryLayout.count`).
    ///   - memory: `[memoryLayout.rowCount, dim]` encoder states.
    ///   - keyLimits: optional `[layout.rowCount]`, memory rows each row may read (a prefix).
    public mutating func forward(_ x: [Float], layout: SequenceLayout, crossLayout: SequenceLayout, memory: [Float],
                                 memoryLayout: SequenceLayout, keyLimits: [Int32]?, training: Bool) -> [Float] {
        let attended = selfAttention.forward(selfAttentionNorm.forward(x), layout: layout)
        let h1 = VectorMath.sum(x, selfDropout.forward(attended, training: training))
        let crossed = crossAttention.forward(crossAttentionNorm.forward(h1), layout: crossLayout, memory: memory,
                                             memoryLayout: memoryLayout, keyLimits: keyLimits)
        let h2 = VectorMath.sum(h1, crossDropout.forward(crossed, training: training))
        let transformed = feedForward.forward(feedForwardNorm.forward(h2), training: training)
        return VectorMath.sum(h2, feedForwardDropout.forward(transformed, training: training))
    }

    /// From dLoss/dy `[rowCount, dim]`: accumulates every sublayer's gradients and returns
    /// (dLoss/dx `[rowCount, dim]`, dLoss/dmemory `[memoryRows, dim]`).
    public mutating func backward(_ dy: [Float]) -> (input: [Float], memory: [Float]) {
        let dh2 = VectorMath.sum(dy, feedForwardNorm.backward(feedForward.backward(feedForwardDropout.backward(dy))))
        let crossed = crossAttention.backward(crossDropout.backward(dh2))
        let dh1 = VectorMath.sum(dh2, crossAttentionNorm.backward(crossed.input))
        let dx = VectorMath.sum(dh1, selfAttentionNorm.backward(selfAttention.backward(selfDropout.backward(dh1))))
        return (dx, crossed.memory)
    }
}
