/// The standard ranking protocol for one query (DESIGN.md): full ranking over the whole catalogue,
/// history items excluded, pessimistic ties, NaN scores counted as the worst.
///
/// These are the reference entry points for one query; `Evaluator` runs the same code over batches.
public enum TargetRanking {
    /// The pessimistic rank of every distinct target, best first.
    ///
    /// A target's rank is 1 + the number of candidate items — items not in `history` and not a
    /// target of this query — whose score is >= the target's score; so a constant scorer ranks every
    /// target last. A NaN score counts as the worst possible score. A target that also appears in
    /// `history` is still ranked against the candidates.
    ///
    /// - Parameters:
    ///   - scores: one score per catalogue item, `[numItems]`; higher is better.
    ///   - history: items excluded from ranking, ids in `0..<numItems`.
    ///   - targets: the relevant items, ids in `0..<numItems` (duplicates count once).
    public static func pessimisticRanks(scores: [Float], history: [Int32], targets: [Int32]) -> [Int] {
        precondition((history + targets).allSatisfy { $0 >= 0 && Int($0) < scores.count }, "item id out of range")
        var workspace = QueryRankingWorkspace(numItems: scores.count)
        return scores.withUnsafeBufferPointer { workspace.ranks(scores: $0, history: history, targets: targets) }
    }

    /// Where the targets sit in the full ranked list, from their ranks (ascending, as returned by
    /// `pessimisticRanks`): the `i`-th best target (0-based) is at position `ranks[i] + i`, since the
    /// `i` targets ranked before it precede it in the list.
    public static func listPositions(fromRanks ranks: [Int]) -> [Int] {
        ranks.enumerated().map { $0.element + $0.offset }
    }
}
