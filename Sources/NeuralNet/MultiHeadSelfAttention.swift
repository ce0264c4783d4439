import SeededRandom

/// Multi-head self-attention (Vaswani et al. 2017, §3.2.2) with optional causal mask and the
/// padding mask implied by a `SequenceLayout`: `Wo · Attention(x Wqᵀ, x Wkᵀ, x Wvᵀ)`, the three
/// input projections fused into one `[3·dim, dim]` linear layer.
///
/// Shapes: input and output `[layout.rowCount, dim]`; `dim = heads · headDim`. Padding rows of the
/// output hold the output projection's bias only and influence nothing else.
public struct MultiHeadSelfAttention {
    /// Model width.
    public let dim: Int
    /// Fused Q, K, V projection, `dim -> 3·dim` (output columns Q, then K, then V).
    public var qkv: Linear
    /// Output projection, `dim -> dim`.
    public var output: Linear
    private var attention: ScaledDotProductAttention
    private var projected: [Float] = []

    /// A layer named `name` (`name.qkv`, `name.output`) with `heads` heads.
    public init(name: String, dim: Int, heads: Int, causal: Bool, random: inout SplitMix64) {
        precondition(dim % heads == 0, "dim \(dim) is not a multiple of heads \(heads)")
        self.dim = dim
        qkv = Linear(name: name + ".qkv", inputSize: dim, outputSize: 3 * dim, random: &random)
        output = Linear(name: name + ".output", inputSize: dim, outputSize: dim, random: &random)
        attention = ScaledDotProductAttention(heads: heads, headDim: dim / heads, causal: causal)
    }

    /// The layer's parameters.
    public var parameters: [Parameter] { qkv.parameters + output.parameters }

    /// `[rowCount, dim] -> [rowCount, dim]`.
    public mutating func forward(_ x: [Float], layout: SequenceLayout) -> [Float] {
        precondition(x.count == layout.rowCount * dim, "input is not [\(layout.rowCount), \(dim)]")
        projected = qkv.forward(x)
        var heads = [Float](repeating: 0, count: x.count)
        let dim = dim
        projected.withUnsafeBufferPointer { p in
            heads.withUnsafeMutableBufferPointer { heads in
                let base = p.baseAddress!
                attention.forward(query: .init(base: base, stride: 3 * dim), key: .init(base: base + dim, stride: 3 * dim),
                                  value: .init(base: base + 2 * dim, stride: 3 * dim), queryLayout: layout,
                                  keyLayout: layout, output: .init(base: heads.baseAddress!, stride: dim))
            }
        }
        return output.forward(heads)
    }

    /// Given dLoss/dy `[rowCount, dim]`, accumulates the projections' gradients and returns dLoss/dx.
    public mutating func backward(_ dy: [Float]) -> [Float] {
        let dHeads = output.backward(dy)
        var dProjected = [Float](repeating: 0, count: projected.count)
        let dim = dim
        projected.withUnsafeBufferPointer { p in
            dHeads.withUnsafeBufferPointer { dHeads in
                dProjected.withUnsafeMutableBufferPointer { dp in
                    let (base, dBase) = (p.baseAddress!, dp.baseAddress!)
                    attention.backward(outputGradient: .init(base: dHeads.baseAddress!, stride: dim),
                                       query: .init(base: base, stride: 3 * dim),
                                       key: .init(base: base + dim, stride: 3 * dim),
                                       value: .init(base: base + 2 * dim, stride: 3 * dim),
                                       queryGradient: .init(base: dBase, stride: 3 * dim),
                                       keyGradient: .init(base: dBase + dim, stride: 3 * dim),
                                       valueGradient: .init(base: dBase + 2 * dim, stride: 3 * dim))
                }
            }
        }
        return qkv.backward(dProjected)
    }
}
