import LinearAlgebra
import Recommenders

/// A scorer whose score is a dot product of a user vector and an item vector (matrix factorisation,
/// two-tower and sequential embedding models). The export scores these with `DotProductTopK`, which
/// ranks the catalogue without ever writing the scores to memory. (EASE and ItemKNN are not: their
/// "user vector" would be a history's indicator over the whole catalogue; their own row sums,
/// `HistoryRowSumScorer`, are far cheaper.)
///
/// A user's vector must depend on that user's history alone, never on which users share its block:
/// the written scores are then the same whatever the shard.
public protocol DotProductScorer {
    /// Item vectors, `[numItems, dim]`, row-major.
    var itemVectors: Matrix { get }
    /// The vectors of `users` with chronological `histories`, `[users.count, dim]`, row-major.
    func userVectors(users: [Int32], histories: [[Int32]]) -> [Float]
}

extension IALS: DotProductScorer {
    /// The fitted item factors.
    public var itemVectors: Matrix { itemFactors }

    /// Each history folded in (the same solve as a user update; a zero vector if it fails, as
    /// `scoreBatch` does).
    public func userVectors(users: [Int32], histories: [[Int32]]) -> [Float] {
        histories.flatMap { (try? foldIn(history: $0)) ?? [Float](repeating: 0, count: config.factors) }
    }
}

extension SASRec: DotProductScorer {
    /// The item embeddings (no rows before `fit`).
    public var itemVectors: Matrix { itemEmbeddings ?? Matrix(rows: 0, cols: config.dim) }

    /// Each user's state from a forward pass of its own history alone: a packed batch of several
    /// users rounds differently with its company, and a user's scores must not depend on its shard.
    public func userVectors(users: [Int32], histories: [[Int32]]) -> [Float] {
        histories.flatMap { userStates(histories: [$0]) }
    }
}

extension HLLM: DotProductScorer {
    /// The item representations (no rows before `fit`).
    public var itemVectors: Matrix { itemRepresentations ?? Matrix(rows: 0, cols: config.dim) }

    /// Each user's state from a forward pass of its own history alone (see SASRec's).
    public func userVectors(users: [Int32], histories: [[Int32]]) -> [Float] {
        histories.flatMap { userStates(histories: [$0]) }
    }
}
