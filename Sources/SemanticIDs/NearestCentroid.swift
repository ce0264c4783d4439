import Dispatch
import LinearAlgebra

/// The nearest of `k` centroids for every one of `n` points, by squared Euclidean distance,
/// through BLAS: `‖x − c‖² = ‖x‖² − 2 x·c + ‖c‖²`, with `x·c` for a block of points against every
/// centroid in one `sgemm`.
///
/// Points are cut into fixed blocks of `blockRows` rows, spread over the cores with OpenBLAS
/// single-threaded in each worker (small products run faster that way than with BLAS's own
/// threads); the block layout does not depend on the core count, so results are identical on
/// any machine with the same BLAS. Ties go to the lower centroid index.
public enum NearestCentroid {
    /// Rows per `sgemm` block: `[blockRows, k]` scores stay in L2 for k = 256.
    public static let blockRows = 512

    /// Nearest centroids of `points` `[n, dim]` among `centroids` `[k, dim]`.
    ///
    /// - Returns: `assignments` `[n]` (centroid index per point) and `distances` `[n]` (squared
    ///   distance to it, clamped at 0 against rounding).
    public static func assign(points: UnsafeBufferPointer<Float>, centroids: UnsafeBufferPointer<Float>,
                              dim: Int) -> (assignments: [Int32], distances: [Float]) {
        precondition(dim > 0 && points.count % dim == 0 && centroids.count % dim == 0 && !centroids.isEmpty,
                     "points and centroids must be [n, \(dim)] and [k, \(dim)] with k > 0")
        let n = points.count / dim, k = centroids.count / dim
        let centroidNorms = squaredNorms(centroids, dim: dim)
        var assignments = [Int32](repeating: 0, count: n)
        var distances = [Float](repeating: 0, count: n)
        let blocks = (n + blockRows - 1) / blockRows
        assignments.withUnsafeMutableBufferPointer { assignments in
            distances.withUnsafeMutableBufferPointer { distances in
                let (assignmentBase, distanceBase) = (assignments.baseAddress!, distances.baseAddress!)
                BLAS.singleThreaded {
                    DispatchQueue.concurrentPerform(iterations: max(blocks, 1)) { block in
                        let rows = block * blockRows..<min(n, (block + 1) * blockRows)
                        guard !rows.isEmpty else { return }
                        var scores = [Float](repeating: 0, count: rows.count * k)
                        scores.withUnsafeMutableBufferPointer { scores in
                            // scores = -2 X_block Cᵀ + 1 ‖c‖² (the ‖c‖² row added below)
                            BLAS.gemm(transposeB: true, m: rows.count, n: k, k: dim, alpha: -2,
                                      a: points.baseAddress! + rows.lowerBound * dim, lda: dim,
                                      b: centroids.baseAddress!, ldb: dim, c: scores.baseAddress!, ldc: k)
                            for (offset, row) in rows.enumerated() {
                                let line = scores.baseAddress! + offset * k
                                var best = 0
                                var bestScore = line[0] + centroidNorms[0]
                                for j in 1..<k {
                                    let score = line[j] + centroidNorms[j]
                                    if score < bestScore { bestScore = score; best = j }
                                }
                                let pointNorm = SIMDKernels.dot(UnsafeBufferPointer(start: points.baseAddress! + row * dim, count: dim),
                                                                UnsafeBufferPointer(start: points.baseAddress! + row * dim, count: dim))
                                assignmentBase[row] = Int32(best)
                                distanceBase[row] = max(0, pointNorm + bestScore)
                            }
                        }
                    }
                }
            }
        }
        return (assignments, distances)
    }

    /// `‖row‖²` of every row of `values` `[rows, dim]`, `[rows]`.
    static func squaredNorms(_ values: UnsafeBufferPointer<Float>, dim: Int) -> [Float] {
        (0..<values.count / dim).map { row in
            let vector = UnsafeBufferPointer(rebasing: values[row * dim..<(row + 1) * dim])
            return SIMDKernels.dot(vector, vector)
        }
    }
}
