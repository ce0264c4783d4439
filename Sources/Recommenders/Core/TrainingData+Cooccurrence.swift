import LinearAlgebra

extension TrainingData {
    /// Largest catalogue for the dense item x item models (ItemKNN, EASE): a `[n, n]` Float matrix
    /// of 30,000 items takes 3.4 GiB, and building it costs `users x n²` multiply-adds.
    public static let denseItemLimit = 30_000

    /// The item co-occurrence (Gram) matrix `XᵀX` of the binary user x item matrix X, `[numItems, numItems]`:
    /// entry `(i, j)` counts the users who interacted with both i and j; the diagonal holds popularity.
    ///
    /// Built with `BLAS.syrk` over dense 0/1 blocks of `usersPerBlock` users (`[usersPerBlock, numItems]`).
    public func cooccurrence(usersPerBlock: Int = 256) -> Matrix {
        var gram = Matrix(rows: numItems, cols: numItems)
        guard numItems > 0, numUsers > 0 else { return gram }
        let n = numItems
        var block = [Float](repeating: 0, count: usersPerBlock * n)
        gram.values.withUnsafeMutableBufferPointer { c in
            block.withUnsafeMutableBufferPointer { x in
                for firstUser in stride(from: 0, to: numUsers, by: usersPerBlock) {
                    let blockUsers = min(usersPerBlock, numUsers - firstUser)
                    for offset in 0..<blockUsers {
                        for item in items(ofUser: firstUser + offset) { x[offset * n + Int(item)] = 1 }
                    }
                    BLAS.syrk(transpose: true, n: n, k: blockUsers, a: x.baseAddress!, lda: n,
                              beta: firstUser == 0 ? 0 : 1, c: c.baseAddress!, ldc: n)
                    for offset in 0..<blockUsers {
                        for item in items(ofUser: firstUser + offset) { x[offset * n + Int(item)] = 0 }
                    }
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
