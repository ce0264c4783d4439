/// A register-blocked matrix product for the small operands of attention (one sequence and head:
/// `[length, headDim]` by `[headDim, length]` and back), where a BLAS call's packing and dispatch
/// cost more than the arithmetic and BLAS's own threads would compete with the caller's workers.
///
/// `C[m, n] = A B` or `C += A B`, with `B` row-major `[k, n]` (row stride `ldb`) and `A`'s element
/// `(i, p)` at `a[i·aRowStride + p·aColumnStride]`, so `A` may be read transposed (`aRowStride = 1`)
/// without a copy. Blocks of 4 rows by 24 (then 16, then 8) columns accumulate in `SIMD8<Float>` registers
/// with fused multiply-adds; columns beyond the last multiple of 8 take a scalar loop. The result
/// for each element sums over `p` in order, so it does not depend on the blocking.
public enum SIMDMatrixProduct {
    /// Computes `C = A B` (`accumulate == false`) or `C += A B`.
    ///
    /// - Parameters:
    ///   - m, n, k: `A` is `[m, k]`, `B` is `[k, n]`, `C` is `[m, n]` with row stride `ldc`.
    ///   - a: element `(i, p)` of `A` at `a + i·aRowStride + p·aColumnStride`.
    ///   - b: row `p` of `B` at `b + p·ldb`, `n` contiguous floats.
    public static func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, aRowStride: Int, aColumnStride: Int,
                                b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int,
                                accumulate: Bool) {
        guard m > 0, n > 0 else { return }
        var i0 = 0
        while i0 < m {
            let rows = min(4, m - i0)
            // Rows past m repeat the last row's operand (valid memory); their results are dropped.
            let a0 = a + i0 * aRowStride
            let a1 = a + min(i0 + 1, m - 1) * aRowStride
            let a2 = a + min(i0 + 2, m - 1) * aRowStride
            let a3 = a + min(i0 + 3, m - 1) * aRowStride
            let cRow = c + i0 * ldc
            var j0 = 0
            while j0 + 24 <= n {
                block24(k: k, a0, a1, a2, a3, aColumnStride, b + j0, ldb, cRow + j0, ldc, rows: rows, accumulate: accumulate)
                j0 += 24
            }
            if j0 + 16 <= n {
                block16(k: k, a0, a1, a2, a3, aColumnStride, b + j0, ldb, cRow + j0, ldc, rows: rows, accumulate: accumulate)
                j0 += 16
            }
            if j0 + 8 <= n {
                block8(k: k, a0, a1, a2, a3, aColumnStride, b + j0, ldb, cRow + j0, ldc, rows: rows, accumulate: accumulate)
                j0 += 8
            }
            while j0 < n {
                for r in 0..<rows {
                    let aRow = a + (i0 + r) * aRowStride
                    var sum: Float = 0
                    for p in 0..<k { sum = sum.addingProduct(aRow[p * aColumnStride], b[p * ldb + j0]) }
                    cRow[r * ldc + j0] = accumulate ? cRow[r * ldc + j0] + sum : sum
                }
                j0 += 1
            }
            i0 += 4
        }
    }

    /// 4 rows x 24 columns: twelve accumulators, three loads of `B` and four broadcasts of `A` per step.
    @inline(__always)
    private static func block24(k: Int, _ a0: UnsafePointer<Float>, _ a1: UnsafePointer<Float>, _ a2: UnsafePointer<Float>,
                                _ a3: UnsafePointer<Float>, _ aColumnStride: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                                _ c: UnsafeMutablePointer<Float>, _ ldc: Int, rows: Int, accumulate: Bool) {
        var c00 = SIMD8<Float>(), c01 = SIMD8<Float>(), c02 = SIMD8<Float>(), c10 = SIMD8<Float>()
        var c11 = SIMD8<Float>(), c12 = SIMD8<Float>(), c20 = SIMD8<Float>(), c21 = SIMD8<Float>()
        var c22 = SIMD8<Float>(), c30 = SIMD8<Float>(), c31 = SIMD8<Float>(), c32 = SIMD8<Float>()
        var offset = 0
        var bRow = b
        for _ in 0..<k {
            let b0 = VectorMath.load(bRow), b1 = VectorMath.load(bRow + 8), b2 = VectorMath.load(bRow + 16)
            let x0 = SIMD8<Float>(repeating: a0[offset]), x1 = SIMD8<Float>(repeating: a1[offset])
            c00 = c00.addingProduct(x0, b0)
            c01 = c01.addingProduct(x0, b1)
            c02 = c02.addingProduct(x0, b2)
            c10 = c10.addingProduct(x1, b0)
            c11 = c11.addingProduct(x1, b1)
            c12 = c12.addingProduct(x1, b2)
            let x2 = SIMD8<Float>(repeating: a2[offset]), x3 = SIMD8<Float>(repeating: a3[offset])
            c20 = c20.addingProduct(x2, b0)
            c21 = c21.addingProduct(x2, b1)
            c22 = c22.addingProduct(x2, b2)
            c30 = c30.addingProduct(x3, b0)
            c31 = c31.addingProduct(x3, b1)
            c32 = c32.addingProduct(x3, b2)
            offset += aColumnStride
            bRow += ldb
        }
        store(c00, c01, c02, to: c, accumulate: accumulate)
        if rows > 1 { store(c10, c11, c12, to: c + ldc, accumulate: accumulate) }
        if rows > 2 { store(c20, c21, c22, to: c + 2 * ldc, accumulate: accumulate) }
        if rows > 3 { store(c30, c31, c32, to: c + 3 * ldc, accumulate: accumulate) }
    }

    /// 4 rows x 16 columns: eight accumulators, two loads of `B` and four broadcasts of `A` per step.
    @inline(__always)
    private static func block16(k: Int, _ a0: UnsafePointer<Float>, _ a1: UnsafePointer<Float>, _ a2: UnsafePointer<Float>,
                                _ a3: UnsafePointer<Float>, _ aColumnStride: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                                _ c: UnsafeMutablePointer<Float>, _ ldc: Int, rows: Int, accumulate: Bool) {
        var c00 = SIMD8<Float>(), c01 = SIMD8<Float>(), c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
        var c20 = SIMD8<Float>(), c21 = SIMD8<Float>(), c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
        var offset = 0
        var bRow = b
        for _ in 0..<k {
            let b0 = VectorMath.load(bRow), b1 = VectorMath.load(bRow + 8)
            let x0 = SIMD8<Float>(repeating: a0[offset]), x1 = SIMD8<Float>(repeating: a1[offset])
            let x2 = SIMD8<Float>(repeating: a2[offset]), x3 = SIMD8<Float>(repeating: a3[offset])
            c00 = c00.addingProduct(x0, b0)
            c01 = c01.addingProduct(x0, b1)
            c10 = c10.addingProduct(x1, b0)
            c11 = c11.addingProduct(x1, b1)
            c20 = c20.addingProduct(x2, b0)
            c21 = c21.addingProduct(x2, b1)
            c30 = c30.addingProduct(x3, b0)
            c31 = c31.addingProduct(x3, b1)
            offset += aColumnStride
            bRow += ldb
        }
        store(c00, c01, to: c, accumulate: accumulate)
        if rows > 1 { store(c10, c11, to: c + ldc, accumulate: accumulate) }
        if rows > 2 { store(c20, c21, to: c + 2 * ldc, accumulate: accumulate) }
        if rows > 3 { store(c30, c31, to: c + 3 * ldc, accumulate: accumulate) }
    }

    /// 4 rows x 8 columns.
    @inline(__always)
    private static func block8(k: Int, _ a0: UnsafePointer<Float>, _ a1: UnsafePointer<Float>, _ a2: UnsafePointer<Float>,
                               _ a3: UnsafePointer<Float>, _ aColumnStride: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                               _ c: UnsafeMutablePointer<Float>, _ ldc: Int, rows: Int, accumulate: Bool) {
        var c0 = SIMD8<Float>(), c1 = SIMD8<Float>(), c2 = SIMD8<Float>(), c3 = SIMD8<Float>()
        var offset = 0
        var bRow = b
        for _ in 0..<k {
            let b0 = VectorMath.load(bRow)
            c0 = c0.addingProduct(SIMD8<Float>(repeating: a0[offset]), b0)
            c1 = c1.addingProduct(SIMD8<Float>(repeating: a1[offset]), b0)
            c2 = c2.addingProduct(SIMD8<Float>(repeating: a2[offset]), b0)
            c3 = c3.addingProduct(SIMD8<Float>(repeating: a3[offset]), b0)
            offset += aColumnStride
            bRow += ldb
        }
        store(c0, to: c, accumulate: accumulate)
        if rows > 1 { store(c1, to: c + ldc, accumulate: accumulate) }
        if rows > 2 { store(c2, to: c + 2 * ldc, accumulate: accumulate) }
        if rows > 3 { store(c3, to: c + 3 * ldc, accumulate: accumulate) }
    }

    @inline(__always)
    private static func store(_ v0: SIMD8<Float>, _ v1: SIMD8<Float>, _ v2: SIMD8<Float>, to c: UnsafeMutablePointer<Float>,
                              accumulate: Bool) {
        store(v0, v1, to: c, accumulate: accumulate)
        store(v2, to: c + 16, accumulate: accumulate)
    }

    @inline(__always)
    private static func store(_ low: SIMD8<Float>, _ high: SIMD8<Float>, to c: UnsafeMutablePointer<Float>, accumulate: Bool) {
        store(low, to: c, accumulate: accumulate)
        store(high, to: c + 8, accumulate: accumulate)
    }

    @inline(__always)
    private static func store(_ value: SIMD8<Float>, to c: UnsafeMutablePointer<Float>, accumulate: Bool) {
        VectorMath.store(accumulate ? VectorMath.load(c) + value : value, c)
    }
}
