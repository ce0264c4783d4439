import Dispatch
import Foundation

/// The writer stage: a serial queue that appends finished blocks to the current part, finishes parts
/// and reports progress, while the caller scores the next block. `append` blocks only when
/// `maxBlocksInFlight` blocks are already waiting (bounded memory); the first error stops the stage
/// and is rethrown to the caller at its next call.
final class ExportWriter: @unchecked Sendable {
    private let sink: PartSink
    private let queue = DispatchQueue(label: "llmrec.export.writer")
    private let slots: DispatchSemaphore
    private let lock = NSLock()
    private var failure: Error?
    private var records: [PartRecord] = []
    private var progress: ExportProgress
    private let start: Date
    private let report: @Sendable (ExportProgress) -> Void

    init(sink: PartSink, maxBlocksInFlight: Int, usersTotal: Int, start: Date,
         progress: @escaping @Sendable (ExportProgress) -> Void) {
        self.sink = sink
        slots = DispatchSemaphore(value: max(1, maxBlocksInFlight))
        self.start = start
        self.progress = ExportProgress(usersDone: 0, usersTotal: usersTotal, usersReused: 0, elapsedSeconds: 0)
        report = progress
    }

    /// Records a part an earlier run finished.
    func reuse(_ record: PartRecord) throws {
        try enqueue {
            self.records.append(record)
            self.advance(users: record.users, reused: true)
        }
    }

    /// Starts part `name`.
    func begin(_ name: String) throws { try enqueue { try self.sink.begin(name) } }

    /// Appends `block` to the current part.
    func append(_ block: FormattedBlock) throws {
        slots.wait()
        try enqueue(releasingSlot: true) {
            try self.sink.append(block)
            self.advance(users: block.users.count, reused: false)
        }
    }

    /// Finishes the current part.
    func finish(users: Int, fingerprint: String) throws {
        try enqueue { self.records.append(try self.sink.finish(users: users, fingerprint: fingerprint)) }
    }

    /// Waits for everything queued; returns the part records in order.
    func drain() throws -> [PartRecord] {
        queue.sync {}
        try rethrowFailure()
        return records
    }

    private func advance(users: Int, reused: Bool) {
        progress.usersDone += users
        if reused { progress.usersReused += users }
        progress.elapsedSeconds = Date().timeIntervalSince(start)
        report(progress)
    }

    private func enqueue(releasingSlot: Bool = false, _ work: @escaping () throws -> Void) throws {
        do { try rethrowFailure() } catch {
            if releasingSlot { slots.signal() }
            throw error
        }
        queue.async {
            defer { if releasingSlot { self.slots.signal() } }
            guard self.currentFailure == nil else { return }
            do { try work() } catch {
                self.lock.lock()
                self.failure = error
                self.lock.unlock()
            }
        }
    }

    private var currentFailure: Error? {
        lock.lock()
        defer { lock.unlock() }
        return failure
    }

    private func rethrowFailure() throws {
        if let failure = currentFailure { throw failure }
    }
}
