import SeededRandom

/// A pre-LN transformer block (Xiong et al. 2020's placement of the LayerNorms of Vaswani et al.
/// 2017's block, as in GPT-2 and the common SASRec implementations):
///
///     h = x + Dropout(SelfAttention(LN₁(x)))
///     y = h + Dropout(FeedForward(LN₂(h)))
///
/// Shapes: input and output `[layout.rowCount, dim]`. One implementation for SASRec, the HLLM user
/// model, the item LLM's encoder and the generative ranker.
public struct TransformerBlock {
    /// Model width.
    public let dim: Int
    /// LayerNorm before attention.
    public var attentionNorm: LayerNorm
    /// Self-attention (causal or not).
    public var attention: MultiHeadSelfAttention
    /// Dropout on the attention branch.
    public var attentionDropout: Dropout
    /// LayerNorm before the feed-forward network.
    public var feedForwardNorm: LayerNorm
    /// The feed-forward network.
    public var feedForward: FeedForward
    /// Dropout on the feed-forward branch.
    public var feedForwardDropout: Dropout

    /// Hyperparameters of a block.
    public struct Shape: Sendable {
        /// Model width (`heads · headDim`).
        public var dim: Int
        /// Attention heads.
        public var heads: Int
        /// Hidden width of the feed-forward network.
        public var hidden: Int
        /// Whether attention is causal.
        public var causal: Bool
        /// Feed-forward nonlinearity.
        public var activation: ActivationFunction
        /// Dropout rate on both residual branches and inside the feed-forward network.
        public var dropoutRate: Float
        /// LayerNorm epsilon.
        public var layerNormEpsilon: Float

        /// A block shape; `hidden` defaults to `4·dim`.
        public init(dim: Int, heads: Int, hidden: Int? = nil, causal: Bool, activation: ActivationFunction = .gelu,
                    dropoutRate: Float = 0.1, layerNormEpsilon: Float = 1e-5) {
            self.dim = dim
            self.heads = heads
            self.hidden = hidden ?? 4 * dim
            self.causal = causal
            self.activation = activation
            self.dropoutRate = dropoutRate
            self.layerNormEpsilon = layerNormEpsilon
        }
    }

    /// A block named `name` (`name.attentionNorm`, `name.attention`, ...) of `shape`.
    public init(name: String, shape: Shape, random: inout SplitMix64) {
        dim = shape.dim
        attentionNorm = LayerNorm(name: name + ".attentionNorm", dim: shape.dim, epsilon: shape.layerNormEpsilon)
        attention = MultiHeadSelfAttention(name: name + ".attention", dim: shape.dim, heads: shape.heads,
                                           causal: shape.causal, random: &random)
        attentionDropout = Dropout(rate: shape.dropoutRate, seed: random.next())
        feedForwardNorm = LayerNorm(name: name + ".feedForwardNorm", dim: shape.dim, epsilon: shape.layerNormEpsilon)
        feedForward = FeedForward(name: name + ".feedForward", dim: shape.dim, hidden: shape.hidden,
                                  activation: shape.activation, dropoutRate: shape.dropoutRate, random: &random)
        feedForwardDropout = Dropout(rate: shape.dropoutRate, seed: random.next())
    }

    /// The block's parameters.
    public var parameters: [Parameter] {
        attentionNorm.parameters + attention.parameters + feedForwardNorm.parameters + feedForward.parameters
    }

    /// `[rowCount, dim] -> [rowCount, dim]`; dropout only when `training`.
    public mutating func forward(_ x: [Float], layout: SequenceLayout, training: Bool) -> [Float] {
        let attended = attention.forward(attentionNorm.forward(x), layout: layout)
        let h = VectorMath.sum(x, attentionDropout.forward(attended, training: training))
        let transformed = feedForward.forward(feedForwardNorm.forward(h), training: training)
        return VectorMath.sum(h, feedForwardDropout.forward(transformed, training: training))
    }

    /// dLoss/dx from dLoss/dy `[rowCount, dim]`, accumulating every sublayer's gradients.
    public mutating func backward(_ dy: [Float]) -> [Float] {
        let dh = VectorMath.sum(dy, feedForwardNorm.backward(feedForward.backward(feedForwardDropout.backward(dy))))
        return VectorMath.sum(dh, attentionNorm.backward(attention.backward(attentionDropout.backward(dh))))
    }
}
