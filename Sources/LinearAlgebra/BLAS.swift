import COpenBLAS
import Foundation

/// Thin wrappers over OpenBLAS level-2/3 routines on row-major `Float` buffers.
///
/// Leading dimensions are row strides (`lda >= ` the stored row length). Several threads may call
/// these at once on distinct output buffers.
public enum BLAS {
    /// `C = alpha * op(A) * op(B) + beta * C` (`cblas_sgemm`, row-major).
    ///
    /// - Parameters:
    ///   - transposeA: `op(A) = Aᵀ`; A is stored `[k, m]` when true, `[m, k]` when false.
    ///   - transposeB: `op(B) = Bᵀ`; B is stored `[n, k]` when true, `[k, n]` when false.
    ///   - m, n, k: `op(A)` is `[m, k]`, `op(B)` is `[k, n]`, C is `[m, n]`.
    ///   - c: output `[m, n]` with row stride `ldc`; not read when `beta == 0`.
    public static func gemm(transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
                            alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                            b: UnsafePointer<Float>, ldb: Int,
                            beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        guard m > 0, n > 0 else { return }
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(max(lda, 1)), b, Int32(max(ldb, 1)),
                    beta, c, Int32(max(ldc, 1)))
    }

    /// `y = alpha * op(A) * x + beta * y` (`cblas_sgemv`, row-major).
    ///
    /// - Parameters:
    ///   - a: stored `[rows, cols]` with row stride `lda`.
    ///   - transpose: `op(A) = Aᵀ`; then x is `[rows]` and y is `[cols]`, else x is `[cols]`, y `[rows]`.
    public static func gemv(transpose: Bool = false, rows: Int, cols: Int, alpha: Float = 1,
                            a: UnsafePointer<Float>, lda: Int, x: UnsafePointer<Float>,
                            beta: Float = 0, y: UnsafeMutablePointer<Float>) {
        guard rows > 0, cols > 0 else {
            let outputCount = transpose ? cols : rows
            for i in 0..<outputCount { y[i] = beta == 0 ? 0 : beta * y[i] }
            return
        }
        cblas_sgemv(CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, Int32(rows), Int32(cols),
                    alpha, a, Int32(max(lda, 1)), x, 1, beta, y, 1)
    }

    /// Upper triangle of `C = alpha * op(A) * op(A)ᵀ + beta * C` (`cblas_ssyrk`, row-major).
    ///
    /// - Parameters:
    ///   - transpose: when true A is stored `[k, n]` and `C = alpha * AᵀA + beta * C` (a Gram matrix);
    ///     when false A is stored `[n, k]` and `C = alpha * AAᵀ + beta * C`.
    ///   - c: `[n, n]` with row stride `ldc`; only entries with `col >= row` are written
    ///     (see `Matrix.mirrorUpperTriangle`).
    public static func syrk(transpose: Bool, n: Int, k: Int, alpha: Float = 1,
                            a: UnsafePointer<Float>, lda: Int,
                            beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        guard n > 0 else { return }
        cblas_ssyrk(CblasRowMajor, CblasUpper, transpose ? CblasTrans : CblasNoTrans, Int32(n), Int32(k),
                    alpha, a, Int32(max(lda, 1)), beta, c, Int32(max(ldc, 1)))
    }
}

extension BLAS {
    /// Callers inside `singleThreaded` and the thread count to restore when the last one leaves.
    private nonisolated(unsafe) static var singleThreadedDepth = 0
    private nonisolated(unsafe) static var restoredThreadCount: Int32 = 1
    private static let singleThreadedLock = NSLock()

    /// OpenBLAS's current thread count (process-wide).
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// Runs `body` with OpenBLAS limited to one thread; when the last overlapping caller returns,
    /// the thread count from before the first is restored.
    ///
    /// For callers that parallelise over independent products themselves (one GEMM per worker):
    /// OpenBLAS's own threads would otherwise spin between calls and take cores from the workers.
    /// The thread count is process-wide, so other BLAS users run single-threaded meanwhile. Callers
    /// may overlap and nest (a count of those inside decides when the limit is lifted).
    public static func singleThreaded<T>(_ body: () throws -> T) rethrows -> T {
        singleThreadedLock.withLock {
            if singleThreadedDepth == 0 {
                restoredThreadCount = openblas_get_num_threads()
                openblas_set_num_threads(1)
            }
            singleThreadedDepth += 1
        }
        defer {
            singleThreadedLock.withLock {
                singleThreadedDepth -= 1
                if singleThreadedDepth == 0 { openblas_set_num_threads(restoredThreadCount) }
            }
        }
        return try body()
    }
}
