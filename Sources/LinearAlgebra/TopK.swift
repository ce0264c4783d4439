/// The indices of the `k` highest scores, best first, skipping `excluded` indices.
///
/// Ties are broken by the lower index; NaN ranks below every number (NaN entries come last, by
/// index). Returns `min(k, scores.count - excluded)` indices. Runs in `O(n + e log e + r log k)`
/// for `n` scores, `e` exclusions and `r` replacements of the current k-th best: a bounded heap
/// whose root, the worst kept entry, filters the scores. Once the heap is full, a score enters only
/// if it is strictly above the root's (every kept index is lower, so a tie never enters), and that
/// one comparison against a cached threshold is all most scores cost.
///
/// - Parameters:
///   - scores: `[n]` scores, higher is better.
///   - excluded: indices to skip (any order, repeats and out-of-range values allowed).
public func topK(_ scores: UnsafeBufferPointer<Float>, k: Int, excluding excluded: [Int32] = []) -> [Int] {
    guard k > 0, !scores.isEmpty else { return [] }
    let skip = excluded.sorted()
    var nextSkip = 0
    var heap = BoundedWorstFirstHeap(capacity: min(k, scores.count), scores: scores)
    // Until the heap is full every score is offered; after, only those above `threshold` (or any,
    // while the root is NaN, below which every number ranks).
    var threshold = -Float.infinity
    var offerAll = true
    for index in 0..<scores.count where offerAll || scores[index] > threshold {
        while nextSkip < skip.count && Int(skip[nextSkip]) < index { nextSkip += 1 }
        if nextSkip < skip.count && Int(skip[nextSkip]) == index { continue }
        heap.offer(index)
        if heap.isFull {
            threshold = scores[heap.worst]
            offerAll = threshold.isNaN
        }
    }
    return heap.sortedBestFirst()
}

/// `true` when entry `i` ranks above entry `j`: higher score, NaN lowest, ties to the lower index.
@inline(__always)
func ranksAbove(_ i: Int, _ j: Int, in scores: UnsafeBufferPointer<Float>) -> Bool {
    let (si, sj) = (scores[i], scores[j])
    if si.isNaN || sj.isNaN { return si.isNaN == sj.isNaN ? i < j : sj.isNaN }
    return si != sj ? si > sj : i < j
}

/// A min-heap of at most `capacity` indices ordered by `ranksAbove`, the worst kept at the root.
struct BoundedWorstFirstHeap {
    let capacity: Int
    let scores: UnsafeBufferPointer<Float>
    var indices: [Int] = []

    init(capacity: Int, scores: UnsafeBufferPointer<Float>) {
        self.capacity = capacity
        self.scores = scores
        indices.reserveCapacity(capacity)
    }

    /// Whether `capacity` entries are kept.
    var isFull: Bool { indices.count == capacity }

    /// The worst kept entry (the heap must not be empty).
    var worst: Int { indices[0] }

    /// Keeps `index` if it ranks above the worst kept entry, or if there is room.
    mutating func offer(_ index: Int) {
        if indices.count < capacity {
            indices.append(index)
            siftUp(indices.count - 1)
        } else if ranksAbove(index, indices[0], in: scores) {
            indices[0] = index
            siftDown(0)
        }
    }

    func sortedBestFirst() -> [Int] {
        indices.sorted { ranksAbove($0, $1, in: scores) }
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard ranksAbove(indices[parent], indices[child], in: scores) else { return }
            indices.swapAt(parent, child)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < indices.count else { return }
            var worst = left
            let right = left + 1
            if right < indices.count && ranksAbove(indices[left], indices[right], in: scores) { worst = right }
            guard ranksAbove(indices[parent], indices[worst], in: scores) else { return }
            indices.swapAt(parent, worst)
            parent = worst
        }
    }
}
