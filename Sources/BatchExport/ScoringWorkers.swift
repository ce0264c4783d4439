import Dispatch

/// A fixed set of workers, one per core, each owning a score buffer of `bufferFloats` that it reuses
/// for every block it takes (`[blockSize, numItems]` for scorers that write whole rows, empty for the
/// fused dot-product kernel).
final class ScoringWorkers {
    let count: Int
    private var buffers: [[Float]]

    init(count: Int, bufferFloats: Int) {
        self.count = max(1, count)
        buffers = Array(repeating: [Float](repeating: 0, count: bufferFloats), count: self.count)
    }

    /// Runs `work` for blocks `0..<blocks` (at most `count`), block `i` on worker `i` with its buffer,
    /// all at once; returns the results in block order.
    func run(blocks: Int, _ work: (_ block: Int, _ scores: UnsafeMutableBufferPointer<Float>) -> FormattedBlock) -> [FormattedBlock] {
        precondition(blocks <= count, "one block per worker")
        var results = [FormattedBlock?](repeating: nil, count: blocks)
        results.withUnsafeMutableBufferPointer { output in
            buffers.withUnsafeMutableBufferPointer { buffers in
                DispatchQueue.concurrentPerform(iterations: blocks) { block in
                    buffers[block].withUnsafeMutableBufferPointer { output[block] = work(block, $0) }
                }
            }
        }
        return results.map { $0! }
    }
}
