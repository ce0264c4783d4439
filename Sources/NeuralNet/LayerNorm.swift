/// Layer normalisation (Ba, Kiros & Hinton 2016): each row is normalised to zero mean and unit
/// variance, then scaled by `gain` and shifted by `bias`.
///
/// Shapes: input and output `[rows, dim]`; gain and bias `[dim]`.
public struct LayerNorm {
    /// Width of a row.
    public let dim: Int
    /// Added to the variance before the square root.
    public let epsilon: Float
    /// `[dim]`, initialised to ones, not decayed.
    public let gain: Parameter
    /// `[dim]`, initialised to zeros, not decayed.
    public let bias: Parameter
    private var normalized: [Float] = []
    private var inverseStd: [Float] = []

    /// A layer named `name` (parameters `name.weight`, `name.bias` as in PyTorch).
    public init(name: String, dim: Int, epsilon: Float = 1e-5) {
        self.dim = dim
        self.epsilon = epsilon
        gain = Parameter(name: name + ".weight", shape: [dim], value: [Float](repeating: 1, count: dim), decays: false)
        bias = Parameter(name: name + ".bias", shape: [dim], value: [Float](repeating: 0, count: dim), decays: false)
    }

    /// The layer's parameters.
    public var parameters: [Parameter] { [gain, bias] }

    /// `[rows, dim] -> [rows, dim]`; keeps the normalised rows and 1/σ per row for `backward`.
    public mutating func forward(_ x: [Float]) -> [Float] {
        precondition(x.count % dim == 0, "input is not [rows, \(dim)]")
        let rows = x.count / dim
        let (dim, epsilon) = (dim, epsilon)
        // Every entry is written below, so buffers of the right size are reused as they are.
        if normalized.count != x.count { normalized = [Float](repeating: 0, count: x.count) }
        if inverseStd.count != rows { inverseStd = [Float](repeating: 0, count: rows) }
        var y = [Float](repeating: 0, count: x.count)
        x.withUnsafeBufferPointer { x in
            normalized.withUnsafeMutableBufferPointer { xHat in
                inverseStd.withUnsafeMutableBufferPointer { inverseStd in
                    gain.value.withUnsafeBufferPointer { g in
                        bias.value.withUnsafeBufferPointer { b in
                            y.withUnsafeMutableBufferPointer { y in
                                for r in 0..<rows {
                                    let row = x.baseAddress! + r * dim
                                    var mean: Float = 0
                                    for j in 0..<dim { mean += row[j] }
                                    mean /= Float(dim)
                                    var variance: Float = 0
                                    for j in 0..<dim { variance += (row[j] - mean) * (row[j] - mean) }
                                    let s = 1 / (variance / Float(dim) + epsilon).squareRoot()
                                    inverseStd[r] = s
                                    for j in 0..<dim {
                                        let h = (row[j] - mean) * s
                                        xHat[r * dim + j] = h
                                        y[r * dim + j] = h * g[j] + b[j]
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return y
    }

    /// Given dLoss/dy `[rows, dim]`: accumulates the gain and bias gradients and returns
    /// dLoss/dx = (1/σ)(ĝ - mean(ĝ) - x̂ · mean(ĝ ⊙ x̂)) with ĝ = dy ⊙ gain.
    public mutating func backward(_ dy: [Float]) -> [Float] {
        precondition(dy.count == normalized.count, "gradient does not match the last forward")
        let rows = inverseStd.count
        let dim = dim
        var dx = [Float](repeating: 0, count: dy.count)
        dy.withUnsafeBufferPointer { dy in
            normalized.withUnsafeBufferPointer { xHat in
                inverseStd.withUnsafeBufferPointer { inverseStd in
                    gain.value.withUnsafeBufferPointer { g in
                        gain.gradient.withUnsafeMutableBufferPointer { dg in
                            bias.gradient.withUnsafeMutableBufferPointer { db in
                                dx.withUnsafeMutableBufferPointer { dx in
                                    for r in 0..<rows {
                                        let base = r * dim
                                        var meanG: Float = 0
                                        var meanGX: Float = 0
                                        for j in 0..<dim {
                                            let gHat = dy[base + j] * g[j]
                                            meanG += gHat
                                            meanGX += gHat * xHat[base + j]
                                            dg[j] += dy[base + j] * xHat[base + j]
                                            db[j] += dy[base + j]
                                        }
                                        meanG /= Float(dim)
                                        meanGX /= Float(dim)
                                        for j in 0..<dim {
                                            dx[base + j] = inverseStd[r]
                                                * (dy[base + j] * g[j] - meanG - xHat[base + j] * meanGX)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return dx
    }
}
