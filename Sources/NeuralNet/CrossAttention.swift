import SeededRandom

/// Multi-head cross-attention (Vaswani et al. 2017, §3.2.3, the encoder-decoder attention):
/// queries from the decoder stream `x`, keys and values from an encoder `memory`; sequence `b` of
/// `x` attends to all non-padding positions of sequence `b` of `memory`, or with `keyLimits` to a
/// prefix of them per query row (see `ScaledDotProductAttention`).
///
/// Shapes: `x` and output `[layout.rowCount, dim]`, `memory` `[memoryLayout.rowCount, memoryDim]`;
/// `dim = heads · headDim`. The key and value projections are fused, `memoryDim -> 2·dim`.
public struct CrossAttention {
    /// Model width of the query stream.
    public let dim: Int
    /// Width of the memory rows.
    public let memoryDim: Int
    /// Query projection, `dim -> dim`.
    public var query: Linear
    /// Fused key and value projection, `memoryDim -> 2·dim` (K columns, then V).
    public var keyValue: Linear
    /// Output projection, `dim -> dim`.
    public var output: Linear
    /// Attention heads (`dim / heads` columns each).
    public let heads: Int
    private var attention: ScaledDotProductAttention
    private var projectedQuery: [Float] = []
    private var projectedMemory: [Float] = []

    /// A layer named `name` (`name.query`, `name.keyValue`, `name.output`) with `heads` heads.
    public init(name: String, dim: Int, memoryDim: Int, heads: Int, random: inout SplitMix64) {
        precondition(dim % heads == 0, "dim \(dim) is not a multiple of heads \(heads)")
        self.dim = dim
        self.memoryDim = memoryDim
        query = Linear(name: name + ".query", inputSize: dim, outputSize: dim, random: &random)
        keyValue = Linear(name: name + ".keyValue", inputSize: memoryDim, outputSize: 2 * dim, random: &random)
        output = Linear(name: name + ".output", inputSize: dim, outputSize: dim, random: &random)
        self.heads = heads
        attention = ScaledDotProductAttention(heads: heads, headDim: dim / heads, causal: false)
    }

    /// The layer's parameters.
    public var parameters: [Parameter] { query.parameters + keyValue.parameters + output.parameters }

    /// `x [rowCount, dim]`, `memory [memoryRows, memoryDim] -> [rowCount, dim]`; `keyLimits`
    /// `[rowCount]` (optional) caps how many of its memory sequence's first rows each query row sees.
    public mutating func forward(_ x: [Float], layout: SequenceLayout, memory: [Float],
                                 memoryLayout: SequenceLayout, keyLimits: [Int32]? = nil) -> [Float] {
        precondition(x.count == layout.rowCount * dim, "input is not [\(layout.rowCount), \(dim)]")
        precondition(memory.count == memoryLayout.rowCount * memoryDim, "memory is not [\(memoryLayout.rowCount), \(memoryDim)]")
        projectedQuery = query.forward(x)
        projectedMemory = keyValue.forward(memory)
        var heads = [Float](repeating: 0, count: x.count)
        let dim = dim
        projectedQuery.withUnsafeBufferPointer { q in
            projectedMemory.withUnsafeBufferPointer { kv in
                heads.withUnsafeMutableBufferPointer { heads in
                    attention.forward(query: .init(base: q.baseAddress!, stride: dim),
                                      key: .init(base: kv.baseAddress!, stride: 2 * dim),
                                      value: .init(base: kv.baseAddress! + dim, stride: 2 * dim),
                                      queryLayout: layout, keyLayout: memoryLayout, keyLimits: keyLimits,
                                      output: .init(base: heads.baseAddress!, stride: dim))
                }
            }
        }
        return output.forward(heads)
    }

    /// Given dLoss/dy `[rowCount, dim]`, accumulates every projection's gradients and returns
    /// (dLoss/dx `[rowCount, dim]`, dLoss/dmemory `[memoryRows, memoryDim]`).
    public mutating func backward(_ dy: [Float]) -> (input: [Float], memory: [Float]) {
        let dHeads = output.backward(dy)
        var dQuery = [Float](repeating: 0, count: projectedQuery.count)
        var dMemory = [Float](repeating: 0, count: projectedMemory.count)
        let dim = dim
        projectedQuery.withUnsafeBufferPointer { q in
            projectedMemory.withUnsafeBufferPointer { kv in
                dHeads.withUnsafeBufferPointer { dHeads in
                    dQuery.withUnsafeMutableBufferPointer { dq in
                        dMemory.withUnsafeMutableBufferPointer { dkv in
                            attention.backward(outputGradient: .init(base: dHeads.baseAddress!, stride: dim),
                                               query: .init(base: q.baseAddress!, stride: dim),
                                               key: .init(base: kv.baseAddress!, stride: 2 * dim),
                                               value: .init(base: kv.baseAddress! + dim, stride: 2 * dim),
                                               queryGradient: .init(base: dq.baseAddress!, stride: dim),
                                               keyGradient: .init(base: dkv.baseAddress!, stride: 2 * dim),
                                               valueGradient: .init(base: dkv.baseAddress! + dim, stride: 2 * dim))
                        }
                    }
                }
            }
        }
        return (query.backward(dQuery), keyValue.backward(dMemory))
    }
}
