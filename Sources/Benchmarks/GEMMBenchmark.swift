import LinearAlgebra

/// The reference line of every run: single-precision GEMM through LinearAlgebra's `BLAS.gemm`, so
/// the other numbers can be read as ratios on a noisy shared machine.
struct GEMMResult: Codable {
    /// `m = n = k`.
    var size: Int
    /// Timed repetitions (after one untimed warm-up).
    var repetitions: Int
    /// Fastest repetition, seconds.
    var bestSeconds: Double
    /// Median repetition, seconds.
    var medianSeconds: Double
    /// `2 n^3 / bestSeconds / 1e9`.
    var bestGFLOPS: Double
    /// `2 n^3 / medianSeconds / 1e9`.
    var medianGFLOPS: Double

    /// Multiplies two `[size, size]` row-major matrices of small deterministic values `repetitions`
    /// times (OpenBLAS's default thread count) and records the best and median times.
    static func measure(size: Int = 1024, repetitions: Int = 7) -> GEMMResult {
        let a = (0..<size * size).map { Float($0 % 17) / 17 - 0.5 }
        let b = (0..<size * size).map { Float($0 % 13) / 13 - 0.5 }
        var c = [Float](repeating: 0, count: size * size)
        let multiply = {
            c.withUnsafeMutableBufferPointer { c in
                BLAS.gemm(m: size, n: size, k: size, a: a, lda: size, b: b, ldb: size, c: c.baseAddress!, ldc: size)
            }
        }
        multiply()
        let times = (0..<repetitions).map { _ in Stopwatch.time(multiply).seconds }.sorted()
        let flops = 2 * Double(size) * Double(size) * Double(size)
        return GEMMResult(size: size, repetitions: repetitions, bestSeconds: times[0], medianSeconds: times[times.count / 2],
                          bestGFLOPS: flops / times[0] / 1e9, medianGFLOPS: flops / times[times.count / 2] / 1e9)
    }
}
