/// A bounded top-K selection for one row of scores, tuned for long rows: once `k` candidates are
/// kept, the score of the worst one is a threshold and sixteen scores at a time are compared with it
/// (a branch-free compare the compiler vectorises), so most of a 50,000-item row costs a load and a compare.
///
/// Gives exactly the order of LinearAlgebra's `topK` (the reference it is tested against): higher
/// score first, ties to the lower index, NaN below every number. Scanning in index order makes the
/// strict `>` filter exact: a later score equal to the threshold has a higher index, so it ranks below.
/// One instance per thread; `select` reuses its buffers.
public struct ThresholdTopK {
    /// Kept scores and indices, a min-heap by rank (the worst kept entry at the root), `[<= k]`.
    private var heapScores: [Float] = []
    private var heapIndices: [Int32] = []
    /// Entries kept by the selection in progress.
    private var k = 0

    /// An empty selector.
    public init() {}

    /// The `k` best indices of `scores` whose `skip` flag is false, best first, into `result`
    /// (replaced); `min(k, candidates)` of them.
    ///
    /// - Parameters:
    ///   - scores: `[n]` scores, higher is better.
    ///   - skip: `[n]` flags; true excludes the item (history, exclude list, outside the allow list).
    ///   - result: output pairs `(index, score)`, best first.
    public mutating func select(_ scores: UnsafeBufferPointer<Float>, k: Int, skip: UnsafeBufferPointer<Bool>,
                                into result: inout [(index: Int32, score: Float)]) {
        start(k: k)
        consume(scores, firstIndex: 0, skip: skip)
        finish(into: &result)
    }

    /// Starts a selection of the `k` best over tiles given to `consume` in increasing index order.
    public mutating func start(k: Int) {
        self.k = k
        heapScores.removeAll(keepingCapacity: true)
        heapIndices.removeAll(keepingCapacity: true)
    }

    /// Offers the scores of items `firstIndex..<firstIndex + scores.count` (a tile of the row; tiles
    /// must come in increasing index order, which keeps the strict `>` filter exact).
    ///
    /// - Parameters:
    ///   - scores: `[tile]` scores of the tile's items.
    ///   - skip: `[tile]` flags of the same items.
    public mutating func consume(_ scores: UnsafeBufferPointer<Float>, firstIndex: Int, skip: UnsafeBufferPointer<Bool>) {
        precondition(skip.count >= scores.count, "one skip flag per score")
        guard k > 0 else { return }
        let n = scores.count
        var index = 0
        while heapScores.count < k && index < n {
            if !skip[index] { push(scores[index], Int32(firstIndex + index)) }
            index += 1
        }
        if heapScores.count == k {
            index = filteredScan(scores, skip: skip, from: index, firstIndex: firstIndex)
        }
        while index < n {  // NaN threshold: the plain comparison for the rest of the tile
            if !skip[index] { offer(scores[index], Int32(firstIndex + index)) }
            index += 1
        }
    }

    /// The selection so far, best first, into `result` (replaced).
    public func finish(into result: inout [(index: Int32, score: Float)]) {
        result.removeAll(keepingCapacity: true)
        let order = heapIndices.indices.sorted { ranksAbove(heapScores[$0], heapIndices[$0], heapScores[$1], heapIndices[$1]) }
        result.append(contentsOf: order.map { (heapIndices[$0], heapScores[$0]) })
    }

    /// Scans `scores[start...]` (item `firstIndex + i` at `i`) sixteen at a time against the worst
    /// kept score; returns where it stopped
    /// (`scores.count`, or earlier when the threshold became NaN, which no `>` can pass).
    private mutating func filteredScan(_ scores: UnsafeBufferPointer<Float>, skip: UnsafeBufferPointer<Bool>,
                                       from start: Int, firstIndex: Int) -> Int {
        let n = scores.count
        var threshold = heapScores[0]
        guard !threshold.isNaN else { return start }
        let base = scores.baseAddress!
        var index = start
        while index + 16 <= n {
            // Branch-free compare of 16 scores (vectorised by the compiler); most blocks stop here.
            var hits: UInt8 = 0
            for lane in 0..<16 { hits |= base[index + lane] > threshold ? 1 : 0 }
            if hits != 0 {
                for lane in index..<(index + 16) where base[lane] > threshold && !skip[lane] {
                    replaceRoot(base[lane], Int32(firstIndex + lane))
                    threshold = heapScores[0]
                }
            }
            index += 16
        }
        while index < n {
            if scores[index] > threshold && !skip[index] {
                replaceRoot(scores[index], Int32(firstIndex + index))
                threshold = heapScores[0]
            }
            index += 1
        }
        return n
    }

    /// Keeps `(score, index)` if it ranks above the worst kept entry.
    private mutating func offer(_ score: Float, _ index: Int32) {
        if ranksAbove(score, index, heapScores[0], heapIndices[0]) { replaceRoot(score, index) }
    }

    private mutating func push(_ score: Float, _ index: Int32) {
        heapScores.append(score)
        heapIndices.append(index)
        var child = heapScores.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard isWorse(child, than: parent) else { return }
            swapEntries(child, parent)
            child = parent
        }
    }

    private mutating func replaceRoot(_ score: Float, _ index: Int32) {
        heapScores[0] = score
        heapIndices[0] = index
        var parent = 0
        let count = heapScores.count
        while true {
            let left = 2 * parent + 1
            guard left < count else { return }
            var worst = left
            if left + 1 < count && isWorse(left + 1, than: left) { worst = left + 1 }
            guard isWorse(worst, than: parent) else { return }
            swapEntries(worst, parent)
            parent = worst
        }
    }

    @inline(__always)
    private func isWorse(_ i: Int, than j: Int) -> Bool {
        ranksAbove(heapScores[j], heapIndices[j], heapScores[i], heapIndices[i])
    }

    @inline(__always)
    private mutating func swapEntries(_ i: Int, _ j: Int) {
        heapScores.swapAt(i, j)
        heapIndices.swapAt(i, j)
    }
}

/// `true` when `(s1, i1)` ranks above `(s2, i2)`: higher score, NaN lowest, ties to the lower index.
@inline(__always)
func ranksAbove(_ s1: Float, _ i1: Int32, _ s2: Float, _ i2: Int32) -> Bool {
    if s1.isNaN || s2.isNaN { return s1.isNaN == s2.isNaN ? i1 < i2 : s2.isNaN }
    return s1 != s2 ? s1 > s2 : i1 < i2
}
