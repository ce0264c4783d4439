/// Anything that scores the whole catalogue for a batch of users: the interface the evaluation
/// loop needs. `Recommender` (in the Recommenders module) refines it with fitting.
public protocol RankingScorer: AnyObject {
    /// Number of items in the catalogue; scores are given for item indices `0..<numItems`.
    var numItems: Int { get }

    /// Scores every item for each user of the batch; higher is better.
    ///
    /// - Parameters:
    ///   - users: internal user ids, `[batch]`.
    ///   - histories: each user's chronological history (oldest first), `[batch][len]`.
    ///   - scores: output, row-major `[batch, numItems]`; every entry must be written.
    ///     History items need not be masked: the evaluation loop excludes them.
    /// Must be safe to call concurrently from several threads once the model is fit.
    func scoreBatch(users: [Int32], histories: [[Int32]], into scores: UnsafeMutableBufferPointer<Float>)
}
