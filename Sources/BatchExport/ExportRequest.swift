/// How to export: K, format, filters, shard and chunking. Defaults suit a nightly job.
public struct ExportRequest: Sendable {
    /// Items per user, `1...numItems`.
    public var k: Int
    /// Output format.
    public var format: ExportFormat = .jsonl
    /// This process's shard of the users.
    public var shard: ShardSpec = .all
    /// Leave out the items in each user's history (default true).
    public var excludeHistory = true
    /// Internal item indices never recommended, `[e]`.
    public var excludedItems: [Int32] = []
    /// When set, only these internal item indices are recommended, `[a]`.
    public var allowedItems: [Int32]?
    /// Users per part file: the unit of resume (default 50,000).
    public var partSize = 50_000
    /// Users per block (one `scoreBatch`, or one sweep of the dot-product kernel, which keeps no
    /// scores); nil picks the largest block whose scores fit `scoreBufferBytes`, up to 1,024.
    public var blockSize: Int?
    /// Memory budget of one block of scores, bytes (default 64 MiB).
    public var scoreBufferBytes = 64 << 20

    /// A request for the top `k` of every user, with the defaults above.
    public init(k: Int) { self.k = k }

    /// The users per block for a catalogue of `numItems`.
    public func usersPerBlock(numItems: Int) -> Int {
        blockSize ?? max(1, min(1024, scoreBufferBytes / (MemoryLayout<Float>.stride * max(numItems, 1))))
    }
}
