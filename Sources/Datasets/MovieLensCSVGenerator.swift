#if canImport(Glibc)
import Glibc
import SeededRandom
#endif

/// Writes a synthetic MovieLens 20M-format `ratings.csv` (header `userId,movieId,rating,timestamp`)
/// for ingest benchmarks: users `1...userCount` in order, each with a contiguous block of lines and
/// increasing timestamps; movie ids `1...itemCount` drawn with Zipf-like popularity
/// (P(rank r) ∝ 1 / r^zipfExponent, movie id = rank); ratings in half stars `0.5...5.0`. Seeded:
/// the same parameters give the same bytes.
public struct MovieLensCSVGenerator: Sendable {
    /// Data lines to write (the header comes on top).
    public var lineCount: Int
    /// Distinct users; lines are shared out evenly.
    public var userCount: Int
    /// Size of the movie catalogue.
    public var itemCount: Int
    /// The Zipf exponent of movie popularity.
    public var zipfExponent: Double
    /// The random seed.
    public var seed: UInt64

    /// Defaults follow ML-20M's shape: about 144 ratings per user over 27,278 movies.
    public init(lineCount: Int, userCount: Int? = nil, itemCount: Int = 27_278, zipfExponent: Double = 1.0, seed: UInt64 = 42) {
        precondition(lineCount >= 0 && itemCount > 0, "need a non-negative line count and a non-empty catalogue")
        self.lineCount = lineCount
        self.userCount = max(1, userCount ?? lineCount / 144)
        self.itemCount = itemCount
        self.zipfExponent = zipfExponent
        self.seed = seed
    }

    /// Writes the file to `path` (replacing it) with 1 MiB buffered `write(2)` calls.
    public func write(to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw DatasetError(file: path, reason: "cannot create (\(String(cString: strerror(errno))))") }
        defer { close(fd) }
        var output = BufferedWriter(fd: fd, path: path)
        var random = SplitMix64(seed: seed)
        let popularity = ZipfDistribution(count: itemCount, exponent: zipfExponent)
        try output.append("userId,movieId,rating,timestamp\n")
        var timestamp: Int64 = 1_000_000_000
        var previousUser = 0
        for line in 0..<lineCount {
            let user = line * userCount / max(lineCount, 1) + 1
            if user != previousUser {
                timestamp = 1_000_000_000 + Int64(random.next() % 300_000_000)
                previousUser = user
            }
            timestamp += Int64(random.next() % 5_000)
            let item = popularity.sample(using: &random) + 1
            let halfStars = Int(random.next() % 10) + 1
            try output.append(integer: Int64(user))
            try output.append(",")
            try output.append(integer: Int64(item))
            try output.append(",")
            try output.append(integer: Int64(halfStars / 2))
            try output.append(halfStars % 2 == 1 ? ".5," : ".0,")
            try output.append(integer: timestamp)
            try output.append("\n")
        }
        try output.flush()
    }
}

/// Collects bytes in a 1 MiB buffer and writes it out with `write(2)` when full.
private struct BufferedWriter {
    let fd: Int32
    let path: String
    private var buffer: [UInt8] = []

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
        buffer.reserveCapacity(1 << 20)
    }

    mutating func append(_ text: StaticString) throws {
        buffer.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        if buffer.count >= 1 << 20 { try flush() }
    }

    mutating func append(integer value: Int64) throws {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var remaining = value.magnitude
        withUnsafeMutableBytes(of: &digits) { digitBytes in
            repeat {
                digitBytes[19 - count] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
                count += 1
            } while remaining > 0
            if value < 0 { buffer.append(UInt8(ascii: "-")) }
            buffer.append(contentsOf: digitBytes[(20 - count)...])
        }
    }

    mutating func flush() throws {
        var written = 0
        while written < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
            guard n > 0 else { throw DatasetError(file: path, reason: "write failed (\(String(cString: strerror(errno))))") }
            written += n
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
