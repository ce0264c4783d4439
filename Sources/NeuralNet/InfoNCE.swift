import LinearAlgebra

/// InfoNCE (van den Oord et al. 2018; the contrastive loss of SimCLR and of HLLM's user model) with
/// in-batch negatives: query `i`'s positive is key `i`, and every other key of the batch is a
/// negative; logits are cosine-free dot products divided by a temperature τ.
public enum InfoNCE {
    /// The mean over rows of `-log softmax(Q Kᵀ / τ)[i, i]` and its gradients.
    ///
    /// - Parameters:
    ///   - queries: `[rows, dim]`.
    ///   - keys: `[rows, dim]`.
    ///   - temperature: τ > 0.
    /// - Returns: the loss, dLoss/dqueries `[rows, dim]` and dLoss/dkeys `[rows, dim]`.
    public static func lossAndGradient(queries: [Float], keys: [Float], dim: Int,
                                       temperature: Float) -> (loss: Double, queries: [Float], keys: [Float]) {
        precondition(queries.count == keys.count && queries.count % dim == 0, "queries and keys must both be [rows, \(dim)]")
        precondition(temperature > 0, "temperature must be positive")
        let rows = queries.count / dim
        var logits = [Float](repeating: 0, count: rows * rows)
        var dQueries = [Float](repeating: 0, count: queries.count)
        var dKeys = [Float](repeating: 0, count: keys.count)
        guard rows > 0 else { return (0, dQueries, dKeys) }
        let loss = queries.withUnsafeBufferPointer { q in
            keys.withUnsafeBufferPointer { k in
                logits.withUnsafeMutableBufferPointer { logits in
                    BLAS.gemm(transposeB: true, m: rows, n: rows, k: dim, alpha: 1 / temperature, a: q.baseAddress!,
                              lda: dim, b: k.baseAddress!, ldb: dim, c: logits.baseAddress!, ldc: rows)
                    let loss = SoftmaxCrossEntropy.lossAndGradient(logits: logits, classes: rows,
                                                                   targets: (0..<Int32(rows)).map { $0 })
                    // dLogits / τ back through the product: dQ = G K / τ, dK = Gᵀ Q / τ.
                    dQueries.withUnsafeMutableBufferPointer { dq in
                        BLAS.gemm(m: rows, n: dim, k: rows, alpha: 1 / temperature, a: logits.baseAddress!, lda: rows,
                                  b: k.baseAddress!, ldb: dim, c: dq.baseAddress!, ldc: dim)
                    }
                    dKeys.withUnsafeMutableBufferPointer { dk in
                        BLAS.gemm(transposeA: true, m: rows, n: dim, k: rows, alpha: 1 / temperature,
                                  a: logits.baseAddress!, lda: rows, b: q.baseAddress!, ldb: dim,
                                  c: dk.baseAddress!, ldc: dim)
                    }
                    return loss
                }
            }
        }
        return (loss, dQueries, dKeys)
    }
}
