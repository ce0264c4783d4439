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

    /// The pessimistic rank of every distinct target, best first, `[distinct targets]`.
    ///
    /// Candidates are the items not in `history`. A target's rank is 1 + the number of candidates
    /// other than the targets whose score is >= the target's (pessimistic ties). A target that also
    /// appears in `history` is still ranked (against the candidates). Item ids must be in range.
    ///
    /// One pass over `scores`, `[numItems]`, counts every item against the target scores; the
    /// (few) history items and candidate targets are then taken back out of the counts.
    mutating func ranks(scores: UnsafeBufferPointer<Float>, history: [Int32], targets: [Int32]) -> [Int] {
        precondition(scores.count == numItems, "expected \(numItems) scores, got \(scores.count)")
        nextGeneration()
        let distinctTargets = Array(Set(targets))
        let targetScoresAscending = distinctTargets.map { Self.rankingScore(scores[Int($0)]) }.sorted()
        // itemsAtOrAbove[c]: items whose score is >= exactly the c lowest target scores (c >= 1;
        // entry 0, items below every target, is not needed and not kept exact).
        var itemsAtOrAbove = [Int](repeating: 0, count: targetScoresAscending.count + 1)
        if targetScoresAscending.count == 1 {
            itemsAtOrAbove[1] = Self.countAtOrAbove(targetScoresAscending[0], in: scores)
        } else if let lowestTargetScore = targetScoresAscending.first {
            for score in scores where Self.rankingScore(score) >= lowestTargetScore {
                itemsAtOrAbove[Self.countAtOrBelow(Self.rankingScore(score), in: targetScoresAscending)] += 1
            }
        }
        for item in history where historyStamp[Int(item)] != generation {
            historyStamp[Int(item)] = generation
            itemsAtOrAbove[Self.countAtOrBelow(Self.rankingScore(scores[Int(item)]), in: targetScoresAscending)] -= 1
        }
        let candidateTargetScoresAscending = distinctTargets
            .filter { historyStamp[Int($0)] != generation }
            .map { Self.rankingScore(scores[Int($0)]) }
            .sorted()

        var ranks = [Int](repeating: 0, count: targetScoresAscending.count)
        var candidatesAbove = 0
        for index in targetScoresAscending.indices.reversed() {
            candidatesAbove += itemsAtOrAbove[index + 1]
            let targetsAbove = candidateTargetScoresAscending.count
                - Self.countBelow(targetScoresAscending[index], in: candidateTargetScoresAscending)
            ranks[targetScoresAscending.count - 1 - index] = 1 + candidatesAbove - targetsAbove
        }
        return ranks
    }

    /// Starts a new query: history marks of earlier queries no longer count.
    private mutating func nextGeneration() {
        generation &+= 1
        if generation == 0 {  // wrapped: clear once every 2^32 queries
            for i in historyStamp.indices { historyStamp[i] = 0 }
            generation = 1
        }
    }

    /// Number of `scores` whose ranking score is >= `threshold` (itself a ranking score, not NaN),
    /// eight lanes at a time. NaN compares false, which is right unless the threshold is -infinity,
    /// where every score counts.
    private static func countAtOrAbove(_ threshold: Float, in scores: UnsafeBufferPointer<Float>) -> Int {
        guard threshold > -.infinity else { return scores.count }
        guard let base = scores.baseAddress else { return 0 }
        let laneThreshold = SIMD8<Float>(repeating: threshold)
        var laneCounts = SIMD8<Int32>.zero
        var index = 0
        while index + 8 <= scores.count {
            let lanes = UnsafeRawPointer(base + index).loadUnaligned(as: SIMD8<Float>.self)
            laneCounts &+= SIMD8<Int32>.zero.replacing(with: 1, where: lanes .>= laneThreshold)
            index += 8
        }
        var count = Int(laneCounts.wrappedSum())
        for score in scores[index...] where score >= threshold { count += 1 }
        return count
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
