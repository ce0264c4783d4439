import NeuralNet

/// Mean pooling over each sequence's positions, the sentence embedding of sentence-transformers
/// (Reimers & Gurevych 2019): `y[b] = (1 / lengths[b]) Σ_t x[starts[b] + t]`.
///
/// Shapes: input `[layout.rowCount, dim]`, output `[layout.count, dim]`. Padding rows are ignored
/// (and get a zero gradient); an empty sequence pools to zeros.
public struct MeanPooling {
    /// Width of a row.
    public let dim: Int
    private var layout = SequenceLayout.packed(lengths: [])

    /// Pooling of `dim`-wide rows.
    public init(dim: Int) {
        self.dim = dim
    }

    /// `[layout.rowCount, dim] -> [layout.count, dim]`; keeps the layout for `backward`.
    public mutating func forward(_ x: [Float], layout: SequenceLayout) -> [Float] {
        precondition(x.count == layout.rowCount * dim, "input is not [\(layout.rowCount), \(dim)]")
        self.layout = layout
        let dim = dim
        var y = [Float](repeating: 0, count: layout.count * dim)
        x.withUnsafeBufferPointer { x in
            y.withUnsafeMutableBufferPointer { y in
                for (b, (start, length)) in zip(layout.starts, layout.lengths).enumerated() where length > 0 {
                    let target = y.baseAddress! + b * dim
                    for t in 0..<length {
                        let source = x.baseAddress! + (start + t) * dim
                        for j in 0..<dim { target[j] += source[j] }
                    }
                    VectorMath.scale(target, count: dim, by: 1 / Float(length))
                }
            }
        }
        return y
    }

    /// dLoss/dx `[rowCount, dim]` from dLoss/dy `[count, dim]`: each position of sequence `b` gets
    /// `dy[b] / lengths[b]`.
    public func backward(_ dy: [Float]) -> [Float] {
        precondition(dy.count == layout.count * dim, "gradient is not [\(layout.count), \(dim)]")
        let dim = dim
        var dx = [Float](repeating: 0, count: layout.rowCount * dim)
        dy.withUnsafeBufferPointer { dy in
            dx.withUnsafeMutableBufferPointer { dx in
                for (b, (start, length)) in zip(layout.starts, layout.lengths).enumerated() where length > 0 {
                    let scale = 1 / Float(length)
                    let source = dy.baseAddress! + b * dim
                    for t in 0..<length {
                        let target = dx.baseAddress! + (start + t) * dim
                        for j in 0..<dim { target[j] = scale * source[j] }
                    }
                }
            }
        }
        return dx
    }
}
