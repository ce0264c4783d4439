import Foundation

/// Hands out batch numbers `0..<batchCount` to worker threads, one at a time, and counts the cases
/// finished, under a lock.
final class BatchSchedule: @unchecked Sendable {
    private let batchCount: Int
    private var nextUnclaimed = 0
    private var casesDone = 0
    private let lock = NSLock()

    init(batchCount: Int) {
        self.batchCount = batchCount
    }

    /// The next batch nobody has taken, or nil when all are taken.
    func nextBatch() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard nextUnclaimed < batchCount else { return nil }
        nextUnclaimed += 1
        return nextUnclaimed - 1
    }

    /// Records `caseCount` more finished cases and calls `report` with the total, under the lock so
    /// reports arrive one at a time and in increasing order.
    func finish(caseCount: Int, report: (Int) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        casesDone += caseCount
        report(casesDone)
    }
}
