import Datasets
import FeatureStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Ingest throughput and memory of one raw dump, stage by stage, as `ingestDataset` runs them
/// (no filters): parse (`loadDataset`), checksum the source files, save into a fresh store.
struct IngestResult: Codable {
    /// What was ingested ("ml-100k", "synthetic ratings.csv").
    var label: String
    /// The raw file or directory.
    var path: String
    /// Its size on disk, bytes (every source file).
    var bytes: Int
    /// Parsed interactions.
    var interactions: Int
    /// Distinct users and items.
    var users: Int
    var items: Int
    /// Seconds in `loadDataset` (read, parse, map raw ids, build the data set).
    var parseSeconds: Double
    /// Seconds hashing the source files (SHA-256, recorded in the metadata).
    var checksumSeconds: Double
    /// Seconds in `FeatureStore.saveDataset` (one LMDB write transaction, committed).
    var storeSeconds: Double
    /// Size of the store's data file afterwards, bytes.
    var storeFileBytes: Int
    /// Peak resident memory of the process (VmHWM) after parsing and after storing, bytes; the
    /// high-water mark is reset to the current size before the stage when the kernel allows it.
    var peakBytesAfterParse: Int?
    var peakBytesAfterStore: Int?

    /// Parse + checksum + store.
    var totalSeconds: Double
    /// Interactions per second of parsing, storing, and overall (`totalSeconds`).
    var parseRate: Double
    var storeRate: Double
    var overallRate: Double

    /// Ingests `path` under `name` into a new store inside `scratchDirectory` (deleted afterwards).
    static func measure(label: String, path: String, format: DatasetFormat? = nil, name: String,
                        scratchDirectory: String) throws -> IngestResult {
        let storePath = scratchDirectory + "/bench-store-\(getpid())"
        try? FileManager.default.removeItem(atPath: storePath)
        defer { try? FileManager.default.removeItem(atPath: storePath) }
        PeakMemory.reset()

        progress("ingest \(label): parsing \(path)")
        var lastDecile = 0
        let (parsed, parseSeconds) = try Stopwatch.time {
            try loadDataset(at: path, format: format, name: name) { report in
                let decile = Int(report.fraction * 10)
                guard decile > lastDecile else { return }
                lastDecile = decile
                progress(String(format: "  %3d%%  %d lines", decile * 10, report.linesRead))
            }
        }
        let peakAfterParse = PeakMemory.bytes()
        let dataset = parsed.dataset

        progress("ingest \(label): checksums and store")
        let (sourceFiles, checksumSeconds) = try Stopwatch.time {
            try parsed.sourceFiles.map { try DatasetMetadata.SourceFile(describingFileAt: $0.path) }
        }
        let metadata = DatasetMetadata(
            name: name, version: 0, format: parsed.format.rawValue, sourceFiles: sourceFiles, filters: [],
            userCount: dataset.numUsers, itemCount: dataset.numItems, interactionCount: dataset.interactions.count,
            skippedLines: parsed.report.skippedLines, ingestedAt: Date())
        let store = try FeatureStore(path: storePath)
        let (_, storeSeconds) = try Stopwatch.time { try store.saveDataset(dataset, metadata: metadata) }
        let storeFileBytes = (try? FileManager.default.attributesOfItem(atPath: storePath + "/data.mdb"))?[.size] as? Int

        let count = Double(dataset.interactions.count)
        let totalSeconds = parseSeconds + checksumSeconds + storeSeconds
        return IngestResult(
            label: label, path: path, bytes: sourceFiles.reduce(0) { $0 + $1.bytes },
            interactions: dataset.interactions.count, users: dataset.numUsers, items: dataset.numItems,
            parseSeconds: parseSeconds, checksumSeconds: checksumSeconds, storeSeconds: storeSeconds,
            storeFileBytes: storeFileBytes ?? 0, peakBytesAfterParse: peakAfterParse, peakBytesAfterStore: PeakMemory.bytes(),
            totalSeconds: totalSeconds, parseRate: count / parseSeconds, storeRate: count / storeSeconds,
            overallRate: count / totalSeconds)
    }
}

/// The generated MovieLens-format ratings file the large ingest benchmark reads.
enum GeneratedRatings {
    /// `<directory>/ml-synthetic-<lines>/ratings.csv`, written with `MovieLensCSVGenerator`
    /// (default ML-20M shape, seed 42) unless it already holds `lines` data lines plus the header.
    /// Returns the folder (what `loadDataset` reads) and the seconds spent generating (0 if reused).
    static func prepare(lines: Int, in directory: String) throws -> (folder: String, generationSeconds: Double) {
        let folder = directory + "/ml-synthetic-\(lines)"
        let file = folder + "/ratings.csv"
        if newlineCount(ofFileAt: file) == lines + 1 {
            progress("reusing \(file) (\(lines) lines)")
            return (folder, 0)
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        progress("generating \(file) (\(lines) lines)")
        let (_, seconds) = try Stopwatch.time { try MovieLensCSVGenerator(lineCount: lines).write(to: file) }
        progress(String(format: "  generated in %.1f s", seconds))
        return (folder, seconds)
    }

    /// Number of `\n` bytes in the file at `path`, or nil when it cannot be read.
    private static func newlineCount(ofFileAt path: String) -> Int? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let chunkSize = 1 << 20
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: chunkSize) { buffer in
            var count = 0
            while true {
                let read = Glibc.read(fd, buffer.baseAddress, chunkSize)
                if read < 0 { return nil }
                if read == 0 { return count }
                for byte in buffer[..<read] where byte == UInt8(ascii: "\n") { count += 1 }
            }
        }
    }
}
