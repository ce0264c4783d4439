import BatchExport
import Evaluation
import Foundation

/// The batch export on a generated factor model (`make bench`): users/s of the whole job (scoring,
/// top-K, encoding, writing JSON-lines parts with checksums) against the pure GEMM time of the same
/// scores in the same run, and the peak memory of the export.
struct ExportResult: Codable {
    var users: Int
    var items: Int
    var factors: Int
    var k: Int
    /// Users per GEMM block.
    var blockSize: Int
    /// The whole export, seconds, and its rate.
    var exportSeconds: Double
    var usersPerSecond: Double
    /// Within the export: seconds in `scoreBatch` (the GEMMs) and in top-K + encoding.
    var exportScoringSeconds: Double
    var exportRankingSeconds: Double
    /// The same GEMMs alone (same blocks, same buffer, no selection, no output), seconds.
    var gemmSeconds: Double
    /// `exportSeconds / gemmSeconds`; the target is <= 2.
    var ratio: Double
    /// Peak resident memory during the export (high-water mark reset before it), bytes.
    var peakBytes: Int?
    /// Bytes of the part files written.
    var outputBytes: Int

    /// Generates a seeded `[users, factors]` x `[items, factors]` model and measures GEMM-only and the
    /// full export into `scratchDirectory` (deleted afterwards).
    static func measure(users: Int, items: Int, factors: Int = 64, k: Int = 100, seed: UInt64 = 2024,
                        scratchDirectory: String) throws -> ExportResult {
        progress("export: generating a \(users) x \(items) factor model (d = \(factors))")
        let model = FactorModel.random(users: users, items: items, factors: factors, seed: seed)
        let source = ExportSource(scorer: model, userIDs: (0..<users).map { String($0) }, itemIDs: (0..<items).map { String($0) },
                                  histories: [[Int32]](repeating: [], count: users), dataset: "synthetic",
                                  datasetVersion: 1, model: "factors", modelVersion: 1)
        let request = ExportRequest(k: k)
        let blockSize = request.usersPerBlock(numItems: items)

        progress("export: GEMM only, \(blockSize) users per block")
        var scores = [Float](repeating: 0, count: blockSize * items)
        let gemmSeconds = Stopwatch.time {
            scores.withUnsafeMutableBufferPointer { buffer in
                for start in stride(from: 0, to: users, by: blockSize) {
                    let block = (start..<min(users, start + blockSize)).map { Int32($0) }
                    model.scoreBatch(users: block, histories: [], into: buffer)
                }
            }
        }.seconds
        scores = []

        progress("export: top-\(k) of every user to JSON lines")
        let folder = URL(fileURLWithPath: scratchDirectory).appendingPathComponent("export-benchmark")
        try? FileManager.default.removeItem(at: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        PeakMemory.reset()
        let summary = try ExportEngine(source: source, request: request, folder: folder).run()
        let peak = PeakMemory.bytes()
        return ExportResult(users: users, items: items, factors: factors, k: k, blockSize: blockSize,
                            exportSeconds: summary.seconds, usersPerSecond: Double(users) / summary.seconds,
                            exportScoringSeconds: summary.scoringSeconds, exportRankingSeconds: summary.rankingSeconds,
                            gemmSeconds: gemmSeconds, ratio: summary.seconds / gemmSeconds, peakBytes: peak,
                            outputBytes: summary.manifest.parts.reduce(0) { $0 + $1.bytes })
    }

    /// The markdown section of the report.
    func markdownSection() -> String {
        var table = MarkdownTable(header: ["users x items (d, K)", "export (s)", "users/s", "in GEMM (s)", "in top-K + encode (s)",
                                           "GEMM only (s)", "export / GEMM", "peak RSS", "output"],
                                  rightAligned: Set(1...8))
        table.rows = [["\(users) x \(items) (\(factors), \(k))", MarkdownTable.decimal(exportSeconds, digits: 2),
                       MarkdownTable.decimal(usersPerSecond, digits: 0), MarkdownTable.decimal(exportScoringSeconds, digits: 2),
                       MarkdownTable.decimal(exportRankingSeconds, digits: 2), MarkdownTable.decimal(gemmSeconds, digits: 2),
                       MarkdownTable.decimal(ratio, digits: 2), peakBytes.map { "\($0 >> 20) MiB" } ?? "n/a",
                       "\(outputBytes >> 20) MiB"]]
        return "## Batch export (generated factor model, JSON lines, \(blockSize) users per GEMM block)\n\n"
            + "Target: export within 2x of the GEMM-only time of the same scores: **\(ratio <= 2 ? "PASS" : "FAIL")**. "
            + "Peak memory is one block of scores plus the queued output blocks and the model, whatever the number of users.\n\n"
            + table.rendered()
    }
}
