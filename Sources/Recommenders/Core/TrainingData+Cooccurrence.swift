import LinearAlgebra

extension TrainingData {
    /// Largest catalogue for the dense item x item models (ItemKNN, EASE): a `[n, n]` Float matrix
    /// of 30,000 items takes 3.4 GiB, and EASE's inverse of it costs about n³ flops.
    public static let denseItemLimit = 30_000

    /// The item co-occurrence (Gram) matrix `XᵀX` of the binary user x item matrix X, `[numItems, numItems]`:
    /// entry `(i, j)` counts the users who interacted with both i and j; the diagonal holds popularity.
    ///
    /// Counted from each user's item pairs, `Σ_u |items(u)|²/2` increments of the upper triangle,
    /// then mirrored: on sparse data (an Amazon set has about 9 items per user) that is thousands
    /// of times less work than the dense `X ᵀX` product's `numUsers x numItems²/2` multiply-adds.
    /// Counts are exact in `Float` up to 2²⁴ users.
    public func cooccurrence() -> Matrix {
        var gram = Matrix(rows: numItems, cols: numItems)
        let n = numItems
        gram.values.withUnsafeMutableBufferPointer { c in
            for user in 0..<numUsers {
                let items = items(ofUser: user)
                for (position, first) in zip(items.indices, items) {
                    let row = Int(first) * n
                    for second in items[position...] { c[row + Int(second)] += 1 }
                }
            }
        }
        gram.mirrorUpperTriangle()
        return gram
    }

    /// How many users interacted with each item, `[numItems]`.
    public func itemPopularity() -> [Int] {
        var counts = [Int](repeating: 0, count: numItems)
        for item in itemIndices { counts[Int(item)] += 1 }
        return counts
    }
}
