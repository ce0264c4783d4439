import Dispatch

/// Deterministic data parallelism: work is cut into a fixed number of chunks that does not depend
/// on the core count, so per-chunk partial results (and their reduction in chunk order) are the
/// same on any machine and the same for a fixed seed.
public enum Parallel {
    /// Chunks used by `forEachChunk` when the caller does not say.
    public static let defaultChunkCount = 8

    /// Elementwise passes (activations, LayerNorm) over fewer values than this run on the calling
    /// thread: below it, handing chunks to other threads costs more than the work.
    static let elementwiseThreshold = 1 << 16

    /// Calls `body(chunk, range)` for `chunkCount` contiguous slices of `0..<count` (fewer when
    /// `count` is small), concurrently on Dispatch's worker threads; returns when all are done.
    /// Chunks must write disjoint memory.
    public static func forEachChunk(count: Int, chunkCount: Int = defaultChunkCount,
                                    _ body: (_ chunk: Int, _ range: Range<Int>) -> Void) {
        let chunks = chunkRanges(count: count, chunkCount: chunkCount)
        if chunks.count <= 1 {
            chunks.first.map { body(0, $0) }
            return
        }
        DispatchQueue.concurrentPerform(iterations: chunks.count) { body($0, chunks[$0]) }
    }

    /// `0..<count` cut into at most `chunkCount` contiguous, near-equal, non-empty ranges.
    public static func chunkRanges(count: Int, chunkCount: Int) -> [Range<Int>] {
        let chunks = max(1, min(chunkCount, count))
        guard count > 0 else { return [] }
        return (0..<chunks).map { count * $0 / chunks..<count * ($0 + 1) / chunks }
    }
}
