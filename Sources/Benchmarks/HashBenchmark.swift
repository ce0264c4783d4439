import Evaluation
import FeatureStore

/// SHA-256 throughput of FeatureStore's `SHA256`, what ingest (source checksums), the export (part
/// checksums) and saved models use: a buffer hashed in 1 MiB updates, as `SHA256.hash(fileAt:)`
/// feeds a file, in memory so that the disk does not enter the number.
struct HashResult: Codable {
    /// Bytes hashed per run.
    var bytes: Int
    /// Fastest of the timed runs, seconds, and the rate it gives (10⁶ bytes per second).
    var bestSeconds: Double
    var megabytesPerSecond: Double

    /// Hashes `megabytes` MiB of deterministic bytes `repetitions` times after a warm-up.
    static func measure(megabytes: Int = 256, repetitions: Int = 3) -> HashResult {
        let chunk = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
        let hashAll = {
            var hasher = SHA256()
            for _ in 0..<megabytes { hasher.update(chunk) }
            return hasher.finalize()
        }
        _ = hashAll()
        let best = (0..<repetitions).map { _ in Stopwatch.time(hashAll).seconds }.min()!
        let bytes = megabytes << 20
        return HashResult(bytes: bytes, bestSeconds: best, megabytesPerSecond: Double(bytes) / best / 1e6)
    }

    /// The section's markdown.
    func markdownSection() -> String {
        var table = MarkdownTable(header: ["bytes", "best (s)", "MB/s"], rightAligned: [0, 1, 2])
        table.rows = [[MarkdownTable.grouped(bytes), MarkdownTable.decimal(bestSeconds, digits: 3),
                       MarkdownTable.decimal(megabytesPerSecond, digits: 0)]]
        return "## SHA-256 (FeatureStore.SHA256, 1 MiB updates, in memory)\n\n" + table.rendered()
    }
}
