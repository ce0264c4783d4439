/// Plain-loop versions of the fast kernels, kept simple enough to be obviously right; the tests
/// compare `BLAS`, `SIMDKernels` and `topK` against them.
public enum ReferenceKernels {
    /// `op(a) * op(b)` by the triple loop (see `Matrix.product`).
    public static func product(_ a: Matrix, _ b: Matrix, transposeA: Bool = false, transposeB: Bool = false) -> Matrix {
        let opA = transposeA ? a.transposed() : a
        let opB = transposeB ? b.transposed() : b
        precondition(opA.cols == opB.rows, "inner dimensions differ")
        var result = Matrix(rows: opA.rows, cols: opB.cols)
        for i in 0..<opA.rows {
            for j in 0..<opB.cols {
                var sum: Float = 0
                for p in 0..<opA.cols { sum += opA[i, p] * opB[p, j] }
                result[i, j] = sum
            }
        }
        return result
    }

    /// `Σ a[i] * b[i]` by a plain loop.
    public static func dot(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "dot of vectors of different lengths")
        var sum: Float = 0
        for i in a.indices { sum += a[i] * b[i] }
        return sum
    }

    /// `y + alpha * x` by a plain loop.
    public static func axpy(_ alpha: Float, _ x: [Float], _ y: [Float]) -> [Float] {
        precondition(x.count == y.count, "axpy of vectors of different lengths")
        return y.indices.map { y[$0] + alpha * x[$0] }
    }

    /// `topK` by sorting every candidate (see `topK` for the ordering).
    public static func topK(_ scores: [Float], k: Int, excluding excluded: [Int32] = []) -> [Int] {
        let skip = Set(excluded.map(Int.init))
        let candidates = scores.indices.filter { !skip.contains($0) }
        let sorted = candidates.sorted { i, j in
            let (si, sj) = (scores[i], scores[j])
            if si.isNaN != sj.isNaN { return sj.isNaN }
            if !si.isNaN && si != sj { return si > sj }
            return i < j
        }
        return Array(sorted.prefix(max(k, 0)))
    }
}
