/// Reusable scratch memory for ranking one query after another over a catalogue of `numItems`
/// items: a history marker per item, stamped with a generation number so it never needs clearing.
/// One per worker thread.
struct QueryRankingWorkspace {
    let numItems: Int
    private var historyStamp: [UInt32]
    private var generation: UInt32 = 0

    init(numItems: Int) {
        self.numItems = numItems
        historyStamp = [UInt32](repeating: 0, count: numItems)
    }

    /// A score as the ranking sees it: NaN counts as the worst possible score.
    @inline(__always)
    static func rankingScore(_ score: Float) -> Float { score.isNaN ? -.infinity : score }

    /// The pessimistic rank of every distinct target, best first, in one pass over `scores`,
    /// `[numItems]`.
    ///
    /// Candidates are the items not in `history`. A target's rank is 1 + the number of candidates
    /// other than the targets whose score is >= the target's (pessimistic ties). A target that also
    /// appears in `history` is still ranked (against the candidates). Item ids must be in range.
    mutating func ranks(scores: UnsafeBufferPointer<Float>, history: [Int32], targets: [Int32]) -> [Int] {
        precondition(scores.count == numItems, "expected \(numItems) scores, got \(scores.count)")
        generation &+= 1
        if generation == 0 {  // wrapped: clear once every 2^32 queries
            for i in historyStamp.indices { historyStamp[i] = 0 }
            generation = 1
        }
        for item in history { historyStamp[Int(item)] = generation }

        let distinctTargets = Set(targets)
        let targetScoresAscending = distinctTargets.map { Self.rankingScore(scores[Int($0)]) }.sorted()
        let candidateTargetScoresAscending = distinctTargets
            .filter { historyStamp[Int($0)] != generation }
            .map { Self.rankingScore(scores[Int($0)]) }
            .sorted()
        let lowestTargetScore = targetScoresAscending.first ?? .infinity
        // candidatesAtOrAbove[c]: candidates whose score is >= exactly the c lowest target scores.
        var candidatesAtOrAbove = [Int](repeating: 0, count: targetScoresAscending.count + 1)
        for item in 0..<numItems where historyStamp[item] != generation {
            let score = Self.rankingScore(scores[item])
            if score >= lowestTargetScore {
                candidatesAtOrAbove[Self.countAtOrBelow(score, in: targetScoresAscending)] += 1
            }
        }

        var ranks = [Int](repeating: 0, count: targetScoresAscending.count)
        var candidatesAbove = 0
        for index in targetScoresAscending.indices.reversed() {
            candidatesAbove += candidatesAtOrAbove[index + 1]
            let targetScore = targetScoresAscending[index]
            let targetsAbove = candidateTargetScoresAscending.count
                - Self.countBelow(targetScore, in: candidateTargetScoresAscending)
            ranks[targetScoresAscending.count - 1 - index] = 1 + candidatesAbove - targetsAbove
        }
        return ranks
    }

    /// Number of entries of the ascending `sorted` that are <= `value` (binary search).
    @inline(__always)
    private static func countAtOrBelow(_ value: Float, in sorted: [Float]) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] <= value { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Number of entries of the ascending `sorted` that are < `value` (binary search).
    private static func countBelow(_ value: Float, in sorted: [Float]) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
