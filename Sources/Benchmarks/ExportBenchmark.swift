import BatchExport
import Evaluation
import Foundation

/// The batch export on a generated factor model (`make bench`): users/s of the whole job (scoring,
/// top-K, encoding, writing JSON-lines parts with checksums) against the pure GEMM time of the same
/// scores in the same run, and the peak memory of the export. Both are run `repeats` times,
/// alternating, and the fastest of each is compared: on a shared machine the fastest run is the one
/// least disturbed by other load.
struct ExportResult: Codable {
    var users: Int
    var items: Int
    var factors: Int
    var k: Int
    /// Users per block (one GEMM of the reference, one fused kernel sweep of the export).
    var blockSize: Int
    /// Runs of each.
    var repeats: Int
    /// The fastest whole export, seconds, and its rate.
    var exportSeconds: Double
    var usersPerSecond: Double
    /// Every export run and every GEMM-only run, seconds, in order.
    var exportRuns: [Double]
    var gemmRuns: [Double]
    /// The fastest GEMM-only run: the same scores written to a score buffer (OpenBLAS on every core,
    /// the same blocks, no selection, no output), seconds.
    var gemmSeconds: Double
    /// `exportSeconds / gemmSeconds`; the target is <= 2.
    var ratio: Double
    /// Peak resident memory during the first export (high-water mark reset before it), bytes.
    var peakBytes: Int?
    /// Bytes of the part files written.
    var outputBytes: Int

    /// Generates a seeded `[users, factors]` x `[items, factors]` model and measures GEMM-only and the
    /// full export into `scratchDirectory` (deleted afterwards), `repeats` times each.
    static func measure(users: Int, items: Int, factors: Int = 64, k: Int = 100, repeats: Int, seed: UInt64 = 2024,
                        scratchDirectory: String) throws -> ExportResult {
        progress("export: generating a \(users) x \(items) factor model (d = \(factors))")
        let model = FactorModel.random(users: users, items: items, factors: factors, seed: seed)
        let source = ExportSource(scorer: model, userIDs: (0..<users).map { String($0) }, itemIDs: (0..<items).map { String($0) },
                                  histories: [[Int32]](repeating: [], count: users), dataset: "synthetic",
                                  datasetVersion: 1, model: "factors", modelVersion: 1)
        let request = ExportRequest(k: k)
        let blockSize = request.usersPerBlock(numItems: items)
        let folder = URL(fileURLWithPath: scratchDirectory).appendingPathComponent("export-benchmark")
        defer { try? FileManager.default.removeItem(at: folder) }

        var (gemmRuns, exportRuns, outputBytes, peak) = ([Double](), [Double](), 0, Int?.none)
        for run in 1...repeats {
            progress("export: run \(run)/\(repeats), GEMM only, \(blockSize) users per block")
            gemmRuns.append(gemmOnly(model, users: users, blockSize: blockSize))
            progress("export: run \(run)/\(repeats), top-\(k) of every user to JSON lines")
            try? FileManager.default.removeItem(at: folder)
            if run == 1 { PeakMemory.reset() }
            let summary = try ExportEngine(source: source, request: request, folder: folder).run()
            exportRuns.append(summary.seconds)
            if run == 1 { peak = PeakMemory.bytes() }
            outputBytes = summary.manifest.parts.reduce(0) { $0 + $1.bytes }
        }
        let (exportSeconds, gemmSeconds) = (exportRuns.min()!, gemmRuns.min()!)
        return ExportResult(users: users, items: items, factors: factors, k: k, blockSize: blockSize, repeats: repeats,
                            exportSeconds: exportSeconds, usersPerSecond: Double(users) / exportSeconds,
                            exportRuns: exportRuns, gemmRuns: gemmRuns, gemmSeconds: gemmSeconds,
                            ratio: exportSeconds / gemmSeconds, peakBytes: peak, outputBytes: outputBytes)
    }

    /// Seconds to write every user's scores, block by block, with one (multi-threaded) GEMM per block.
    private static func gemmOnly(_ model: FactorModel, users: Int, blockSize: Int) -> Double {
        var scores = [Float](repeating: 0, count: blockSize * model.numItems)
        return Stopwatch.time {
            scores.withUnsafeMutableBufferPointer { buffer in
                for start in stride(from: 0, to: users, by: blockSize) {
                    let block = (start..<min(users, start + blockSize)).map { Int32($0) }
                    model.scoreBatch(users: block, histories: [], into: buffer)
                }
            }
        }.seconds
    }

    /// The markdown section of the report.
    func markdownSection() -> String {
        var table = MarkdownTable(header: ["users x items (d, K)", "export (s)", "users/s", "GEMM only (s)", "export / GEMM",
                                           "export runs (s)", "GEMM runs (s)", "peak RSS", "output"],
                                  rightAligned: Set(1...8))
        func runs(_ seconds: [Double]) -> String { seconds.map { MarkdownTable.decimal($0, digits: 2) }.joined(separator: ", ") }
        table.rows = [["\(users) x \(items) (\(factors), \(k))", MarkdownTable.decimal(exportSeconds, digits: 2),
                       MarkdownTable.decimal(usersPerSecond, digits: 0), MarkdownTable.decimal(gemmSeconds, digits: 2),
                       MarkdownTable.decimal(ratio, digits: 2), runs(exportRuns), runs(gemmRuns),
                       peakBytes.map { "\($0 >> 20) MiB" } ?? "n/a", "\(outputBytes >> 20) MiB"]]
        return "## Batch export (generated factor model, JSON lines, \(blockSize) users per block)\n\n"
            + "Target: the fastest of \(repeats) exports within 2x of the fastest of \(repeats) GEMM-only runs of the same "
            + "scores: **\(ratio <= 2 ? "PASS" : "FAIL")**. The export scores with the fused dot-product kernel "
            + "(`DotProductTopK`; `make` compiles it for AVX2 where the CPU has it); "
            + "peak memory is the model plus one block per worker and the queued output blocks, whatever the number of users.\n\n"
            + table.rendered()
    }
}
