/// Layer normalisation (Ba, Kiros & Hinton 2016): each row is normalised to zero mean and unit
/// variance, then scaled by `gain` and shifted by `bias`.
///
/// Shapes: input and output `[rows, dim]`; gain and bias `[dim]`.
///
/// Every per-row sum (mean, variance, and the two means of the backward pass) adds the row's
/// entries one after another, as a plain loop over one row would. Four rows run together, one per
/// lane of a `SIMD4`, which gives four independent add chains instead of one without changing a
/// bit of any row's result. Large inputs are split into row chunks that run concurrently. The gain
/// and bias gradients add the rows in order, eight columns at a time. The results are therefore the
/// same for any chunking and any core count.
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
        guard rows > 0 else {
            (normalized, inverseStd) = ([], [])
            return []
        }
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
                                let (x, xHat, y) = (x.baseAddress!, xHat.baseAddress!, y.baseAddress!)
                                let (g, b, inverseStd) = (g.baseAddress!, b.baseAddress!, inverseStd.baseAddress!)
                                Self.forEachRowGroup(rows: rows, dim: dim) { r0, count in
                                    let sum = Self.rowSums(count: count, dim: dim) { r, j in x[(r0 + r) * dim + j] }
                                    let mean = sum / Float(dim)
                                    let squares = Self.rowSums(count: count, dim: dim) { r, j in
                                        (x[(r0 + r) * dim + j] - mean[r]) * (x[(r0 + r) * dim + j] - mean[r])
                                    }
                                    let s = 1 / (squares / Float(dim) + epsilon).squareRoot()
                                    for r in 0..<count {
                                        let row = (r0 + r) * dim
                                        inverseStd[r0 + r] = s[r]
                                        Self.normalize(x + row, mean: mean[r], inverseStd: s[r], gain: g, bias: b,
                                                       normalized: xHat + row, output: y + row, dim: dim)
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
        guard rows > 0 else { return [] }
        var dx = [Float](repeating: 0, count: dy.count)
        dy.withUnsafeBufferPointer { dy in
            normalized.withUnsafeBufferPointer { xHat in
                inverseStd.withUnsafeBufferPointer { inverseStd in
                    gain.value.withUnsafeBufferPointer { g in
                        gain.gradient.withUnsafeMutableBufferPointer { dg in
                            bias.gradient.withUnsafeMutableBufferPointer { db in
                                dx.withUnsafeMutableBufferPointer { dx in
                                    let (dy, xHat, dx) = (dy.baseAddress!, xHat.baseAddress!, dx.baseAddress!)
                                    let (g, inverseStd) = (g.baseAddress!, inverseStd.baseAddress!)
                                    Self.forEachRowGroup(rows: rows, dim: dim) { r0, count in
                                        let meanG = Self.rowSums(count: count, dim: dim) { r, j in
                                            dy[(r0 + r) * dim + j] * g[j]
                                        } / Float(dim)
                                        let meanGX = Self.rowSums(count: count, dim: dim) { r, j in
                                            dy[(r0 + r) * dim + j] * g[j] * xHat[(r0 + r) * dim + j]
                                        } / Float(dim)
                                        for r in 0..<count {
                                            let row = (r0 + r) * dim
                                            Self.inputGradient(dy + row, normalized: xHat + row, gain: g, meanG: meanG[r],
                                                               meanGX: meanGX[r], inverseStd: inverseStd[r0 + r],
                                                               into: dx + row, dim: dim)
                                        }
                                    }
                                    Self.accumulateColumnSums(rows: rows, dim: dim, dy: dy, xHat: xHat,
                                                              gain: dg.baseAddress!, bias: db.baseAddress!)
                                }
                            }
                        }
                    }
                }
            }
        }
        return dx
    }

    /// Rows summed together, one per lane.
    static let rowGroup = 4

    /// Calls `body(firstRow, count)` for consecutive groups of up to `rowGroup` rows, concurrently in
    /// fixed chunks when the input is large enough to pay for the threads.
    private static func forEachRowGroup(rows: Int, dim: Int, _ body: (Int, Int) -> Void) {
        let groups = (rows + rowGroup - 1) / rowGroup
        func run(_ range: Range<Int>) {
            for group in range { body(group * rowGroup, min(rowGroup, rows - group * rowGroup)) }
        }
        if rows * dim < Parallel.elementwiseThreshold {
            run(0..<groups)
        } else {
            Parallel.forEachChunk(count: groups) { _, range in run(range) }
        }
    }

    /// `Σ_j term(r, j)` for rows `r < count` (≤ 4) in lanes `r`, each summed in order of `j`; lanes
    /// past `count` repeat row 0's terms and are ignored.
    @inline(__always)
    private static func rowSums(count: Int, dim: Int, _ term: (Int, Int) -> Float) -> SIMD4<Float> {
        let (r1, r2, r3) = (min(1, count - 1), min(2, count - 1), min(3, count - 1))
        var sum = SIMD4<Float>()
        for j in 0..<dim { sum += SIMD4(term(0, j), term(r1, j), term(r2, j), term(r3, j)) }
        return sum
    }

    /// One row's `x̂ = (x - mean) · s` and `y = x̂ · gain + bias`, eight columns at a time (the
    /// pointers may not overlap, which the compiler cannot see in a plain loop).
    @inline(__always)
    private static func normalize(_ x: UnsafePointer<Float>, mean: Float, inverseStd s: Float, gain: UnsafePointer<Float>,
                                  bias: UnsafePointer<Float>, normalized: UnsafeMutablePointer<Float>,
                                  output: UnsafeMutablePointer<Float>, dim: Int) {
        let (meanVector, sVector) = (SIMD8<Float>(repeating: mean), SIMD8<Float>(repeating: s))
        var j = 0
        while j + 8 <= dim {
            let h = (VectorMath.load(x + j) - meanVector) * sVector
            VectorMath.store(h, normalized + j)
            VectorMath.store(h * VectorMath.load(gain + j) + VectorMath.load(bias + j), output + j)
            j += 8
        }
        while j < dim {
            let h = (x[j] - mean) * s
            normalized[j] = h
            output[j] = h * gain[j] + bias[j]
            j += 1
        }
    }

    /// One row's `dx = s · (dy · gain - meanG - x̂ · meanGX)`, eight columns at a time.
    @inline(__always)
    private static func inputGradient(_ dy: UnsafePointer<Float>, normalized xHat: UnsafePointer<Float>,
                                      gain: UnsafePointer<Float>, meanG: Float, meanGX: Float, inverseStd s: Float,
                                      into dx: UnsafeMutablePointer<Float>, dim: Int) {
        let (mg, mgx, sVector) = (SIMD8<Float>(repeating: meanG), SIMD8<Float>(repeating: meanGX),
                                  SIMD8<Float>(repeating: s))
        var j = 0
        while j + 8 <= dim {
            let g = VectorMath.load(dy + j) * VectorMath.load(gain + j)
            VectorMath.store(sVector * (g - mg - VectorMath.load(xHat + j) * mgx), dx + j)
            j += 8
        }
        while j < dim {
            dx[j] = s * (dy[j] * gain[j] - meanG - xHat[j] * meanGX)
            j += 1
        }
    }

    /// `gain[j] += Σ_r dy[r, j] x̂[r, j]` and `bias[j] += Σ_r dy[r, j]`, rows added in order.
    private static func accumulateColumnSums(rows: Int, dim: Int, dy: UnsafePointer<Float>, xHat: UnsafePointer<Float>,
                                             gain: UnsafeMutablePointer<Float>, bias: UnsafeMutablePointer<Float>) {
        var j0 = 0
        while j0 + 8 <= dim {
            var dg = VectorMath.load(gain + j0), db = VectorMath.load(bias + j0)
            for r in 0..<rows {
                let d = VectorMath.load(dy + r * dim + j0)
                dg += d * VectorMath.load(xHat + r * dim + j0)
                db += d
            }
            VectorMath.store(dg, gain + j0)
            VectorMath.store(db, bias + j0)
            j0 += 8
        }
        for j in j0..<dim {
            for r in 0..<rows {
                gain[j] += dy[r * dim + j] * xHat[r * dim + j]
                bias[j] += dy[r * dim + j]
            }
        }
    }
}
