import SeededRandom

/// Learned absolute positional embeddings (Vaswani et al. 2017, §3.5; SASRec's "P"): adds row `t`
/// of a `[maxLength, dim]` table to the activation of position `t` of every sequence (position 0
/// is the oldest item in the window). Padding rows are left as they are.
///
/// Shapes: input and output `[layout.rowCount, dim]`.
public struct PositionalEmbedding {
    /// Longest sequence supported.
    public let maxLength: Int
    /// Width of a row.
    public let dim: Int
    /// `[maxLength, dim]`.
    public let table: Parameter
    private var layout = SequenceLayout.packed(lengths: [])

    /// A table named `name` with `initializer` values.
    public init(name: String, maxLength: Int, dim: Int, initializer: Initializer, random: inout SplitMix64) {
        self.maxLength = maxLength
        self.dim = dim
        table = Parameter(name: name, shape: [maxLength, dim],
                          value: initializer.values(count: maxLength * dim, random: &random), decays: true)
    }

    /// The layer's parameters.
    public var parameters: [Parameter] { [table] }

    /// `x + P[position]` for every non-padding row; sequences must be at most `maxLength` long.
    public mutating func forward(_ x: [Float], layout: SequenceLayout) -> [Float] {
        precondition(x.count == layout.rowCount * dim, "input is not [\(layout.rowCount), \(dim)]")
        precondition(layout.lengths.allSatisfy { $0 <= maxLength }, "a sequence is longer than \(maxLength)")
        self.layout = layout
        var y = x
        let dim = dim
        table.value.withUnsafeBufferPointer { table in
            y.withUnsafeMutableBufferPointer { y in
                for (start, length) in zip(layout.starts, layout.lengths) {
                    for t in 0..<length {
                        let target = y.baseAddress! + (start + t) * dim
                        for j in 0..<dim { target[j] += table[t * dim + j] }
                    }
                }
            }
        }
        return y
    }

    /// Accumulates dLoss/dP from `dy` `[rowCount, dim]`; the input gradient is `dy` itself.
    public mutating func backward(_ dy: [Float]) {
        precondition(dy.count == layout.rowCount * dim, "gradient is not [\(layout.rowCount), \(dim)]")
        let dim = dim
        dy.withUnsafeBufferPointer { dy in
            table.gradient.withUnsafeMutableBufferPointer { gradient in
                for (start, length) in zip(layout.starts, layout.lengths) {
                    for t in 0..<length {
                        let source = dy.baseAddress! + (start + t) * dim
                        for j in 0..<dim { gradient[t * dim + j] += source[j] }
                    }
                }
            }
        }
    }
}
