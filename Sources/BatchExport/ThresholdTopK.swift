/// A bounded top-K selection for one row of scores, tuned for long rows: a threshold-filtered
/// partial sort. Candidates are appended to a buffer of `2k` as `RankKey`s (one integer compare
/// ranks two candidates); when it is full, a quickselect keeps the best `k` and the worst of those
/// becomes the threshold. Sixteen scores at a time are compared
/// with the threshold (a branch-free compare the compiler vectorises), so most of a 50,000-item row
/// costs a load and a compare, and a candidate that passes costs an append instead of a heap update.
///
/// Gives exactly the order of LinearAlgebra's `topK` (the reference it is tested against): higher
/// score first, ties to the lower index, NaN below every number. Scanning in index order makes the
/// strict `>` filter exact: a later score equal to the threshold has a higher index, so it ranks
/// below, and a threshold older than the best `k` so far is only lower, so it filters less, never wrongly.
/// One instance per thread; `select` reuses its buffers.
public struct ThresholdTopK {
    /// Candidates kept so far, unordered, `[count]` of `[capacity]`.
    private var keys: [RankKey] = []
    private var count = 0
    /// Entries the selection in progress returns.
    private var k = 0
    /// The worst of the best `k` at the last compaction; nil before the first one, or when it was NaN.
    public private(set) var filterThreshold: Float?

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
        count = 0
        filterThreshold = nil
        let capacity = k + max(k / 2, 16)
        if keys.count < capacity { keys = [RankKey](repeating: RankKey(score: 0, index: 0), count: capacity) }
    }

    /// Offers the scores of items `firstIndex..<firstIndex + scores.count` (a tile of the row; tiles
    /// must come in increasing index order, which keeps the strict `>` filter exact).
    ///
    /// - Parameters:
    ///   - scores: `[tile]` scores of the tile's items.
    ///   - skip: `[tile]` flags of the same items.
    public mutating func consume(_ scores: UnsafeBufferPointer<Float>, firstIndex: Int, skip: UnsafeBufferPointer<Bool>) {
        precondition(skip.count >= scores.count, "one skip flag per score")
        guard k > 0, let base = scores.baseAddress else { return }
        let n = scores.count
        var index = 0
        while index < n {
            guard let threshold = filterThreshold else {
                // No threshold yet (or a NaN one, which no `>` passes): every candidate goes in.
                if !skip[index] { offer(base[index], index: Int32(firstIndex + index)) }
                index += 1
                continue
            }
            if index + 16 <= n {
                // Branch-free compare of 16 scores (vectorised by the compiler); most blocks stop here.
                var hits: UInt8 = 0
                for lane in 0..<16 { hits |= base[index + lane] > threshold ? 1 : 0 }
                if hits != 0 {
                    for lane in index..<(index + 16) where base[lane] > threshold && !skip[lane] {
                        offer(base[lane], index: Int32(firstIndex + lane))
                    }
                }
                index += 16
            } else {
                if base[index] > threshold && !skip[index] { offer(base[index], index: Int32(firstIndex + index)) }
                index += 1
            }
        }
    }

    /// The selection so far, best first, into `result` (replaced).
    public mutating func finish(into result: inout [(index: Int32, score: Float)]) {
        if count > k { compact() }
        keys[..<count].sort(by: >)
        result.removeAll(keepingCapacity: true)
        for key in keys[..<count] { result.append((key.index, key.score)) }
    }

    /// Adds the candidate `(score, index)`, whatever its score: one below `filterThreshold` only
    /// costs room. Candidates must come in increasing index order when the caller filters them with
    /// `filterThreshold`, so that the strict `>` drops only ties that rank below.
    @inline(__always)
    public mutating func offer(_ score: Float, index: Int32) {
        keys.withUnsafeMutableBufferPointer { $0[count] = RankKey(score: score, index: index) }
        count += 1
        if count == keys.count { compact() }
    }

    /// Keeps the best `k` candidates (quickselect, Hoare partition around a median of three) and
    /// makes the worst of them the threshold.
    private mutating func compact() {
        let target = k - 1
        keys.withUnsafeMutableBufferPointer { keys in
            var (low, high) = (0, count - 1)
            while low < high {
                let (a, b, c) = (keys[low], keys[(low + high) / 2], keys[high])
                let pivot = a > b ? (b > c ? b : (a > c ? c : a)) : (a > c ? a : (b > c ? c : b))
                var (i, j) = (low, high)
                while i <= j {
                    while keys[i] > pivot { i += 1 }
                    while pivot > keys[j] { j -= 1 }
                    if i <= j {
                        keys.swapAt(i, j)
                        i += 1
                        j -= 1
                    }
                }
                if target <= j {
                    high = j
                } else if target >= i {
                    low = i
                } else {
                    break
                }
            }
        }
        count = k
        let worst = keys[..<k].min()!.score
        filterThreshold = worst.isNaN ? nil : worst
    }
}

/// A candidate as one integer that orders candidates as `topK` ranks them: higher score first, NaN
/// below every number, ties to the lower index. The high 32 bits are the score's bits made monotonic
/// (NaN as 0; -0 is stored as +0, which it equals), the low 32 bits the complement of the index.
struct RankKey: Comparable {
    private let bits: UInt64

    @inline(__always)
    init(score: Float, index: Int32) {
        let order: UInt32
        if score.isNaN {
            order = 0
        } else {
            let pattern = (score + 0).bitPattern  // + 0 turns -0 into +0
            order = pattern & 0x8000_0000 != 0 ? ~pattern : pattern | 0x8000_0000
        }
        bits = UInt64(order) << 32 | UInt64(~UInt32(bitPattern: index))
    }

    /// The candidate's score (NaN for NaN; +0 for -0).
    var score: Float {
        let order = UInt32(truncatingIfNeeded: bits >> 32)
        guard order != 0 else { return .nan }
        return Float(bitPattern: order & 0x8000_0000 != 0 ? order & 0x7FFF_FFFF : ~order)
    }

    /// The candidate's item index.
    var index: Int32 { Int32(bitPattern: ~UInt32(truncatingIfNeeded: bits)) }

    @inline(__always)
    static func < (lhs: RankKey, rhs: RankKey) -> Bool { lhs.bits < rhs.bits }
}
