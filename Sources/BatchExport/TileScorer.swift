import LinearAlgebra
import Recommenders

/// A scorer whose score is a dot product of a user vector and an item vector (matrix factorisation,
/// two-tower embeddings), so a block of users can be scored against a slice of the catalogue. The
/// export then scores and ranks the catalogue tile by tile, consuming the scores while they sit in
/// cache instead of sending them through main memory twice (written by the GEMM, read by the top-K).
public protocol TileScorer {
    /// Item vectors, `[numItems, dim]`, row-major.
    var itemVectors: Matrix { get }
    /// The vectors of `users` with chronological `histories`, `[users.count, dim]`, row-major.
    func userVectors(users: [Int32], histories: [[Int32]]) -> [Float]
}

extension TileScorer {
    /// Scores of `rows` user `vectors` against items `items`, into row-major `[rows, items.count]`:
    /// one GEMM against that slice of `itemVectors`.
    public func scoreTile(of vectors: [Float], rows: Int, items: Range<Int>, into scores: UnsafeMutableBufferPointer<Float>) {
        let d = itemVectors.cols
        precondition(scores.count >= rows * items.count, "score buffer too small")
        itemVectors.values.withUnsafeBufferPointer { all in
            BLAS.gemm(transposeB: true, m: rows, n: items.count, k: d, a: vectors, lda: d,
                      b: all.baseAddress! + items.lowerBound * d, ldb: d, c: scores.baseAddress!, ldc: items.count)
        }
    }

    /// `vectors[row] · itemVectors[item]` by `SIMDKernels.dot`, summed in a fixed order: the written
    /// score, the same whatever the row's position in its block (a GEMM's rounding depends on it, so
    /// a sharded export would otherwise differ from an unsharded one in the last digit).
    public func exactScore(of vectors: [Float], row: Int, item: Int32) -> Float {
        let d = itemVectors.cols
        return vectors.withUnsafeBufferPointer { v in
            itemVectors.values.withUnsafeBufferPointer { all in
                SIMDKernels.dot(UnsafeBufferPointer(rebasing: v[row * d..<(row + 1) * d]),
                                UnsafeBufferPointer(rebasing: all[Int(item) * d..<(Int(item) + 1) * d]))
            }
        }
    }
}

extension IALS: TileScorer {
    /// The fitted item factors.
    public var itemVectors: Matrix { itemFactors }

    /// Each history folded in (the same solve as a user update; a zero vector if it fails, as
    /// `scoreBatch` does).
    public func userVectors(users: [Int32], histories: [[Int32]]) -> [Float] {
        histories.flatMap { (try? foldIn(history: $0)) ?? [Float](repeating: 0, count: config.factors) }
    }
}
