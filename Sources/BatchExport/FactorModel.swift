import Evaluation
import LinearAlgebra
import SeededRandom

/// A model whose score is a dot product of a user vector and an item vector (matrix factorisation,
/// two-tower embeddings): one GEMM scores a block of users against the whole catalogue.
///
/// The export benchmark runs a generated one (`random`) through the same export path as trained models.
public final class FactorModel: RankingScorer, @unchecked Sendable {
    /// User vectors, `[numUsers, factors]`, row-major.
    public let userFactors: Matrix
    /// Item vectors, `[numItems, factors]`, row-major.
    public let itemFactors: Matrix

    /// A model from its factors; both must have the same number of columns.
    public init(userFactors: Matrix, itemFactors: Matrix) {
        precondition(userFactors.cols == itemFactors.cols, "user and item factors need the same dimension")
        self.userFactors = userFactors
        self.itemFactors = itemFactors
    }

    /// Number of items, `itemFactors.rows`.
    public var numItems: Int { itemFactors.rows }

    /// Factors uniform in [-0.5, 0.5), a pure function of `seed`: `[users, factors]` and `[items, factors]`.
    public static func random(users: Int, items: Int, factors: Int, seed: UInt64) -> FactorModel {
        var random = SplitMix64(seed: seed)
        func draws(_ count: Int) -> [Float] { (0..<count).map { _ in Float(random.nextUnit()) - 0.5 } }
        let userValues = draws(users * factors)
        let itemValues = draws(items * factors)
        return FactorModel(userFactors: Matrix(rows: users, cols: factors, values: userValues),
                           itemFactors: Matrix(rows: items, cols: factors, values: itemValues))
    }

    /// Scores `[users.count, numItems]` (row-major): the users' factor rows gathered into one block,
    /// times `itemFactorsᵀ` in one GEMM. Histories are not used (the vectors already encode them).
    public func scoreBatch(users: [Int32], histories: [[Int32]], into scores: UnsafeMutableBufferPointer<Float>) {
        precondition(scores.count >= users.count * numItems, "score buffer too small")
        let d = itemFactors.cols
        BLAS.gemm(transposeB: true, m: users.count, n: numItems, k: d, a: userVectors(users: users, histories: histories),
                  lda: d, b: itemFactors.values, ldb: d, c: scores.baseAddress!, ldc: numItems)
    }
}

extension FactorModel: DotProductScorer {
    /// `itemFactors`.
    public var itemVectors: Matrix { itemFactors }

    /// The users' factor rows gathered, `[users.count, factors]`.
    public func userVectors(users: [Int32], histories: [[Int32]]) -> [Float] {
        let d = itemFactors.cols
        var block = [Float](repeating: 0, count: users.count * d)
        userFactors.values.withUnsafeBufferPointer { all in
            block.withUnsafeMutableBufferPointer { rows in
                for (b, user) in users.enumerated() {
                    (rows.baseAddress! + b * d).update(from: all.baseAddress! + Int(user) * d, count: d)
                }
            }
        }
        return block
    }
}
