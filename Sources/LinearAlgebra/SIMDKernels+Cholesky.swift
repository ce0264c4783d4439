extension SIMDKernels {
    /// Adds `alpha * Σ_j g_j g_jᵀ` to `a` (`[n, n]`, row-major, contiguous), where `g_j` is row j
    /// of `rows` (`[count, n]`, contiguous): a rank-`count` update of a small Gram matrix.
    ///
    /// Every entry on or above the diagonal is updated; entries below it are either untouched or
    /// updated the same way (the kernel works in tiles that may cross the diagonal), so read only the
    /// upper triangle. Single-threaded, unlike OpenBLAS `ssyrk`, which spawns threads above ~10⁴
    /// entries and then contends when several threads call it at once.
    public static func addScaledGram(_ alpha: Float, of rows: UnsafePointer<Float>, count: Int, n: Int,
                                     into a: UnsafeMutablePointer<Float>) {
        for r0 in stride(from: 0, to: n, by: 4) {
            // Rows past the end repeat the last row: computed, never stored.
            let r = (r0, min(r0 + 1, n - 1), min(r0 + 2, n - 1), min(r0 + 3, n - 1))
            var c = r0 - r0 % 8
            while c + 16 <= n {
                addGramTile(alpha, rows, count: count, n: n, r: r, r0: r0, c: c, width: 2, into: a)
                c += 16
            }
            if c + 8 <= n {
                addGramTile(alpha, rows, count: count, n: n, r: r, r0: r0, c: c, width: 1, into: a)
                c += 8
            }
            for row in r0..<min(r0 + 4, n) {
                for col in max(c, row)..<n {
                    var sum: Float = 0
                    for j in 0..<count { sum += rows[j * n + row] * rows[j * n + col] }
                    a[row * n + col] += alpha * sum
                }
            }
        }
    }

    /// One `[4, 8 * width]` tile of `addScaledGram` at rows `r` and columns `c...`, accumulated in
    /// registers over all `count` source rows (width 1 or 2).
    @inline(__always)
    private static func addGramTile(_ alpha: Float, _ rows: UnsafePointer<Float>, count: Int, n: Int,
                                    r: (Int, Int, Int, Int), r0: Int, c: Int, width: Int,
                                    into a: UnsafeMutablePointer<Float>) {
        var (a00, a10, a20, a30) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
        var (a01, a11, a21, a31) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
        let stride = n * MemoryLayout<Float>.stride
        let base = UnsafeRawPointer(rows + c)
        for j in 0..<count {
            let g = rows + j * n
            let (b0, b1, b2, b3) = (SIMD8(repeating: g[r.0]), SIMD8(repeating: g[r.1]),
                                    SIMD8(repeating: g[r.2]), SIMD8(repeating: g[r.3]))
            let x0 = base.loadUnaligned(fromByteOffset: j * stride, as: SIMD8<Float>.self)
            a00 += b0 * x0; a10 += b1 * x0; a20 += b2 * x0; a30 += b3 * x0
            if width == 2 {
                let x1 = base.loadUnaligned(fromByteOffset: j * stride + 32, as: SIMD8<Float>.self)
                a01 += b0 * x1; a11 += b1 * x1; a21 += b2 * x1; a31 += b3 * x1
            }
        }
        store(alpha, a00, a01, row: r0, c: c, n: n, width: width, into: a)
        if r0 + 1 < n { store(alpha, a10, a11, row: r0 + 1, c: c, n: n, width: width, into: a) }
        if r0 + 2 < n { store(alpha, a20, a21, row: r0 + 2, c: c, n: n, width: width, into: a) }
        if r0 + 3 < n { store(alpha, a30, a31, row: r0 + 3, c: c, n: n, width: width, into: a) }
    }

    /// `a[row, c..<c + 8 * width] += alpha * (low, high)`.
    @inline(__always)
    private static func store(_ alpha: Float, _ low: SIMD8<Float>, _ high: SIMD8<Float>, row: Int, c: Int, n: Int,
                              width: Int, into a: UnsafeMutablePointer<Float>) {
        let out = UnsafeMutableRawPointer(a + row * n + c)
        out.storeBytes(of: out.loadUnaligned(as: SIMD8<Float>.self) + alpha * low, as: SIMD8<Float>.self)
        if width == 2 {
            out.storeBytes(of: out.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self) + alpha * high,
                           toByteOffset: 32, as: SIMD8<Float>.self)
        }
    }

    /// Solves `A x = b` in place for a small symmetric positive definite `a` (`[n, n]`, row-major,
    /// contiguous; only the upper triangle is read, and it is overwritten by the Cholesky factor U
    /// with `A = UᵀU`). `b` (`[n]`) is overwritten by x. Single-threaded, right-looking, every inner
    /// loop a contiguous `axpy` or `dot`; meant for the many small systems of alternating least
    /// squares, where `LAPACK.solveSPD` is the reference.
    ///
    /// - Throws: `LinearAlgebraError.notPositiveDefinite` when a pivot is not positive.
    public static func choleskySolve(_ a: UnsafeMutablePointer<Float>, n: Int, _ b: UnsafeMutablePointer<Float>) throws {
        for i in 0..<n {
            let pivot = a[i * n + i]
            guard pivot > 0, pivot.isFinite else {
                throw LinearAlgebraError.notPositiveDefinite(order: n, failingMinor: i + 1)
            }
            let diagonal = pivot.squareRoot()
            let inverse = 1 / diagonal
            a[i * n + i] = diagonal
            for j in i + 1..<n { a[i * n + j] *= inverse }
            let tail = n - i - 1
            guard tail > 0 else { continue }
            let factorRow = UnsafeBufferPointer(start: a + i * n + i + 1, count: tail)
            // Trailing update of the upper triangle: A[j, j...] -= U[i, j] * U[i, j...].
            for j in i + 1..<n {
                axpy(-a[i * n + j], UnsafeBufferPointer(rebasing: factorRow[(j - i - 1)...]),
                     UnsafeMutableBufferPointer(start: a + j * n + j, count: n - j))
            }
        }
        // Forward substitution Uᵀ z = b, row by row of U.
        for i in 0..<n {
            b[i] /= a[i * n + i]
            let tail = n - i - 1
            if tail > 0 {
                axpy(-b[i], UnsafeBufferPointer(start: a + i * n + i + 1, count: tail),
                     UnsafeMutableBufferPointer(start: b + i + 1, count: tail))
            }
        }
        // Back substitution U x = z.
        for i in stride(from: n - 1, through: 0, by: -1) {
            let tail = n - i - 1
            let known = dot(UnsafeBufferPointer(start: a + i * n + i + 1, count: tail),
                            UnsafeBufferPointer(start: b + i + 1, count: tail))
            b[i] = (b[i] - known) / a[i * n + i]
        }
    }
}
