/// Scales each row to unit Euclidean norm, `y = x / max(‖x‖, epsilon)` (PyTorch's
/// `F.normalize`, the last step of a sentence-transformers encoder, so that dot products are
/// cosine similarities).
///
/// Shapes: input and output `[rows, dim]`.
public struct L2Normalization {
    /// Width of a row.
    public let dim: Int
    /// Smallest norm divided by (rows of a smaller norm are divided by `epsilon`).
    public let epsilon: Float
    private var output: [Float] = []
    private var inverseNorms: [Float] = []
    private var clamped: [Bool] = []

    /// Normalisation of `dim`-wide rows.
    public init(dim: Int, epsilon: Float = 1e-12) {
        self.dim = dim
        self.epsilon = epsilon
    }

    /// `[rows, dim] -> [rows, dim]`; keeps the output and the norms for `backward`.
    public mutating func forward(_ x: [Float]) -> [Float] {
        precondition(x.count % dim == 0, "input is not [rows, \(dim)]")
        let (rows, dim) = (x.count / dim, dim)
        inverseNorms = [Float](repeating: 0, count: rows)
        clamped = [Bool](repeating: false, count: rows)
        var y = x
        y.withUnsafeMutableBufferPointer { y in
            for r in 0..<rows {
                let row = y.baseAddress! + r * dim
                var squares: Double = 0
                for j in 0..<dim { squares += Double(row[j]) * Double(row[j]) }
                let norm = Float(squares.squareRoot())
                clamped[r] = norm < epsilon
                let inverse = 1 / max(norm, epsilon)
                inverseNorms[r] = inverse
                for j in 0..<dim { row[j] *= inverse }
            }
        }
        output = y
        return y
    }

    /// dLoss/dx from dLoss/dy `[rows, dim]`: `(dy - y (y · dy)) / ‖x‖` (just `dy / epsilon` for a
    /// clamped row).
    public func backward(_ dy: [Float]) -> [Float] {
        precondition(dy.count == output.count, "gradient does not match the last forward")
        let dim = dim
        var dx = [Float](repeating: 0, count: dy.count)
        dy.withUnsafeBufferPointer { dy in
            output.withUnsafeBufferPointer { y in
                dx.withUnsafeMutableBufferPointer { dx in
                    for r in 0..<inverseNorms.count {
                        let base = r * dim
                        var dot: Float = 0
                        if !clamped[r] { for j in 0..<dim { dot += y[base + j] * dy[base + j] } }
                        for j in 0..<dim { dx[base + j] = inverseNorms[r] * (dy[base + j] - dot * y[base + j]) }
                    }
                }
            }
        }
        return dx
    }
}
