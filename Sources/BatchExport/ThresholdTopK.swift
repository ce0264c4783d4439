/// A bounded top-K selection for one row of scores, tuned for long rows: an 8-ary min-heap of the
/// best `k` so far as `RankKey`s (one integer compare ranks two candidates; a node's eight children
/// fill one 64-byte cache line, so a sift touches three lines at K = 100 where a binary heap
/// touches seven), whose root, the worst kept score, is a threshold. Sixteen scores at a time are compared with it (a branch-free compare the
/// compiler vectorises), so most of a 50,000-item row costs a load and a compare.
///
/// Gives exactly the order of LinearAlgebra's `topK` (the reference it is tested against): higher
/// score first, ties to the lower index, NaN below every number. Scanning in index order makes the
/// strict `>` filter exact: a later score equal to the threshold has a higher index, so it ranks below.
/// One instance per thread; `select` reuses its buffers.
public struct ThresholdTopK {
    /// The kept candidates, a min-heap (the worst at index 0), `[count]` of the first `[k]`.
    private var heap: [RankKey] = []
    private var count = 0
    /// Entries the selection in progress returns.
    private var k = 0
    /// The worst kept score once `k` are kept; nil before that, or when it is NaN (which no `>`
    /// passes, though any number ranks above it).
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
        if heap.count < k { heap = [RankKey](repeating: RankKey(score: 0, index: 0), count: k) }
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
        heap[..<count].sort(by: >)
        result.removeAll(keepingCapacity: true)
        for key in heap[..<count] { result.append((key.index, key.score)) }
    }

    /// Keeps the candidate `(score, index)` if it ranks above the worst kept one (or fewer than `k`
    /// are kept). Candidates must come in increasing index order when the caller filters them with
    /// `filterThreshold`, so that the strict `>` drops only ties that rank below.
    @inline(__always)
    public mutating func offer(_ score: Float, index: Int32) {
        let key = RankKey(score: score, index: index)
        let (k, kept) = (self.k, count)
        heap.withUnsafeMutableBufferPointer { buffer in
            let heap = UnsafeMutableBufferPointer(rebasing: buffer[..<k])
            if kept < k {
                Self.siftUp(key, from: kept, in: heap)
            } else if heap[0] < key {
                Self.siftDown(key, in: heap)
            }
        }
        if kept < k { count += 1 }
        if count == k {
            let worst = heap[0].score
            filterThreshold = worst.isNaN ? nil : worst
        }
    }

    /// Puts `key` in the heap's new last slot `hole`, moving down each parent that ranks above it.
    private static func siftUp(_ key: RankKey, from hole: Int, in heap: UnsafeMutableBufferPointer<RankKey>) {
        var hole = hole
        while hole > 0 {
            let parent = (hole - 1) / 8
            guard key < heap[parent] else { break }
            heap[hole] = heap[parent]
            hole = parent
        }
        heap[hole] = key
    }

    /// Replaces the root (the worst kept) with `key`: the hole moves towards the leaves while its
    /// worst child ranks below `key` (a tournament of selects among eight children, not branches).
    private static func siftDown(_ key: RankKey, in heap: UnsafeMutableBufferPointer<RankKey>) {
        var hole = 0
        while true {
            let first = 8 * hole + 1
            guard first < heap.count else { break }
            var child = first
            if first + 7 < heap.count {
                @inline(__always) func better(_ a: Int, _ b: Int) -> Int { heap[b] < heap[a] ? b : a }
                child = better(better(better(first, first + 1), better(first + 2, first + 3)),
                               better(better(first + 4, first + 5), better(first + 6, first + 7)))
            } else {
                for candidate in (first + 1)..<heap.count where heap[candidate] < heap[child] { child = candidate }
            }
            guard heap[child] < key else { break }
            heap[hole] = heap[child]
            hole = child
        }
        heap[hole] = key
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
