import Evaluation

/// A model whose score for item j sums, over the distinct items h of a history, a weight `W[h, j]`:
/// EASE's dense B, ItemKNN's sparse neighbourhood similarities. Scoring a history then reads only
/// its rows of W (at most `|history| x numItems` additions) instead of the `numItems²` of the
/// history's indicator row times W.
///
/// Rows are added in ascending item order, one history at a time, so a user's scores are the same
/// bits whatever batch, evaluation worker or export shard it is scored in.
public protocol HistoryRowSumScorer: RankingScorer {
    /// Adds row `item` of W to `scores` (`[numItems]`).
    func addWeights(ofHistoryItem item: Int, to scores: UnsafeMutableBufferPointer<Float>)
}

extension HistoryRowSumScorer {
    /// Writes `[histories.count, numItems]` scores (row-major): each row is the sum of the weight
    /// rows of its history's distinct in-range items, added in ascending item order.
    public func scoreBatch(users: [Int32], histories: [[Int32]], into scores: UnsafeMutableBufferPointer<Float>) {
        precondition(scores.count >= histories.count * numItems, "score buffer too small")
        for (b, history) in histories.enumerated() {
            let row = UnsafeMutableBufferPointer(rebasing: scores[b * numItems..<(b + 1) * numItems])
            row.update(repeating: 0)
            for item in uniqueItems(of: history, numItems: numItems) { addWeights(ofHistoryItem: Int(item), to: row) }
        }
    }
}
