import Evaluation
import LinearAlgebra

/// Every user's top `depth` items from one ranker, history excluded, best first: computed once
/// so the many simulated runs only resample assignments and clicks.
public struct RankedLists: Sendable {
    /// How many items each list holds (fewer when a user has seen nearly everything).
    public let depth: Int
    /// `lists[u]`: user `u`'s ranked items, best first.
    public let lists: [[Int32]]

    /// Ranks the catalogue for every user with `ranker`, excluding `histories[u]` (ties: lower item id).
    public init(ranker: any RankingScorer, histories: [[Int32]], depth: Int) {
        precondition(depth > 0, "depth must be positive")
        var lists = [[Int32]](repeating: [], count: histories.count)
        forEachUserScores(ranker, histories: histories) { user, scores in
            lists[user] = topK(scores, k: depth, excluding: histories[user]).map { Int32($0) }
        }
        self.depth = depth
        self.lists = lists
    }

    /// Lists given directly (tests, hand-made slates).
    public init(lists: [[Int32]]) {
        self.depth = lists.map(\.count).max() ?? 0
        self.lists = lists
    }

    /// The first `size` items of user `u`'s list: the slate the ranker shows.
    public func slate(user: Int, size: Int) -> [Int32] {
        Array(lists[user].prefix(size))
    }
}
