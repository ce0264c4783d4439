import SeededRandom

/// `--shard i/N`: which of N independent processes this is. Users go to shards by a stable hash of
/// their raw id (FNV-1a, 64-bit, then a SplitMix finaliser), so shard membership does not depend
/// on the machine, the process, internal indices or Swift's per-process randomised `Hasher`.
public struct ShardSpec: Equatable, Sendable, CustomStringConvertible {
    /// This shard, `0..<count`.
    public let index: Int
    /// Number of shards, at least 1.
    public let count: Int

    /// The whole export as one shard.
    public static let all = ShardSpec(uncheckedIndex: 0, count: 1)

    private init(uncheckedIndex index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Parses `"i/N"` with `0 <= i < N`.
    /// - Throws: `ExportError.badShard` naming the text and what was expected.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw ExportError.badShard(text, reason: "expected i/N with integers, e.g. 0/4")
        }
        guard count >= 1 else { throw ExportError.badShard(text, reason: "N must be at least 1") }
        guard index >= 0 && index < count else {
            throw ExportError.badShard(text, reason: "i must be in 0..<N (0 to \(count - 1))")
        }
        self.init(uncheckedIndex: index, count: count)
    }

    /// `"i/N"`.
    public var description: String { "\(index)/\(count)" }

    /// Whether the user with raw id `rawUserID` belongs to this shard.
    public func contains(rawUserID: String) -> Bool {
        count == 1 || Int(Self.stableHash(rawUserID) % UInt64(count)) == index
    }

    /// A 64-bit hash of the UTF-8 bytes of `text`, the same on every machine and run.
    public static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return SplitMix64.mix(hash)
    }
}
