extension Matrix {
    /// `op(a) * op(b)` by `BLAS.gemm`: `[m, k] x [k, n] -> [m, n]`.
    public static func product(_ a: Matrix, _ b: Matrix, transposeA: Bool = false, transposeB: Bool = false) -> Matrix {
        let m = transposeA ? a.cols : a.rows
        let n = transposeB ? b.rows : b.cols
        var result = Matrix(rows: m, cols: n)
        result.addProduct(a, b, transposeA: transposeA, transposeB: transposeB, beta: 0)
        return result
    }

    /// `self = alpha * op(a) * op(b) + beta * self` by `BLAS.gemm`; `self` must be `[m, n]`.
    public mutating func addProduct(_ a: Matrix, _ b: Matrix, transposeA: Bool = false, transposeB: Bool = false,
                                    alpha: Float = 1, beta: Float = 1) {
        let m = transposeA ? a.cols : a.rows
        let k = transposeA ? a.rows : a.cols
        let n = transposeB ? b.rows : b.cols
        precondition((transposeB ? b.cols : b.rows) == k, "inner dimensions differ: \(k) vs \(transposeB ? b.cols : b.rows)")
        precondition(rows == m && cols == n, "output is [\(rows), \(cols)], expected [\(m), \(n)]")
        guard m > 0, n > 0 else { return }
        guard k > 0 else {
            for i in values.indices { values[i] = beta == 0 ? 0 : beta * values[i] }
            return
        }
        let (lda, ldb, ldc) = (a.cols, b.cols, cols)
        a.values.withUnsafeBufferPointer { pa in
            b.values.withUnsafeBufferPointer { pb in
                values.withUnsafeMutableBufferPointer { pc in
                    BLAS.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                              a: pa.baseAddress!, lda: lda, b: pb.baseAddress!, ldb: ldb,
                              beta: beta, c: pc.baseAddress!, ldc: ldc)
                }
            }
        }
    }

    /// `op(self) * x` by `BLAS.gemv`: x is `[cols]` (or `[rows]` when transposed).
    public func multiply(_ x: [Float], transpose: Bool = false) -> [Float] {
        precondition(x.count == (transpose ? rows : cols), "vector length \(x.count) does not match")
        var y = [Float](repeating: 0, count: transpose ? cols : rows)
        guard rows > 0, cols > 0 else { return y }
        values.withUnsafeBufferPointer { pa in
            x.withUnsafeBufferPointer { px in
                y.withUnsafeMutableBufferPointer { py in
                    BLAS.gemv(transpose: transpose, rows: rows, cols: cols, a: pa.baseAddress!, lda: cols,
                              x: px.baseAddress!, y: py.baseAddress!)
                }
            }
        }
        return y
    }

    /// The symmetric Gram matrix `aᵀa`, `[a.cols, a.cols]`, by `BLAS.syrk` and a mirror.
    public static func gram(_ a: Matrix) -> Matrix {
        var result = Matrix(rows: a.cols, cols: a.cols)
        guard a.rows > 0, a.cols > 0 else { return result }
        a.values.withUnsafeBufferPointer { pa in
            result.values.withUnsafeMutableBufferPointer { pc in
                BLAS.syrk(transpose: true, n: a.cols, k: a.rows, a: pa.baseAddress!, lda: a.cols,
                          c: pc.baseAddress!, ldc: a.cols)
            }
        }
        result.mirrorUpperTriangle()
        return result
    }
}
