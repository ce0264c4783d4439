import Evaluation
import Foundation

/// Every number of one `Benchmarks` run: what `--json` writes and the markdown tables print.
struct BenchmarkReport: Codable {
    /// The machine the numbers come from.
    struct Machine: Codable {
        /// Active processors, physical memory (bytes), OS description.
        var processors: Int
        var memoryBytes: UInt64
        var operatingSystem: String

        /// This machine.
        static var current: Machine {
            let info = ProcessInfo.processInfo
            return Machine(processors: info.activeProcessorCount, memoryBytes: info.physicalMemory,
                           operatingSystem: info.operatingSystemVersionString)
        }
    }

    /// The ingest target of the large generated file.
    struct IngestTarget: Codable {
        /// Minimum overall interactions per second (parse + checksum + store).
        var minimumInteractionsPerSecond = 1_000_000.0
        /// Peak resident memory must stay below this, bytes.
        var maximumPeakBytes = 2_000_000_000
        /// Lines the target is defined for; smaller runs are checked but labelled.
        var definedForLines = 20_000_000
        /// The measured run's lines, rate and peak, and the verdict.
        var lines: Int
        var interactionsPerSecond: Double
        var peakBytes: Int?
        var passed: Bool

        /// Checks `result` (the generated file's ingest) against the target.
        init(result: IngestResult, lines: Int) {
            self.lines = lines
            interactionsPerSecond = result.overallRate
            peakBytes = result.peakBytesAfterStore
            passed = interactionsPerSecond >= minimumInteractionsPerSecond && (peakBytes ?? .max) < maximumPeakBytes
        }
    }

    var machine = Machine.current
    var startedAt = Date()
    var gemm: GEMMResult?
    /// SHA-256 throughput.
    var hash: HashResult?
    /// Seconds spent generating the large ratings file (0: reused).
    var generationSeconds: Double?
    var ingest: [IngestResult] = []
    var ingestTarget: IngestTarget?
    var models: [ModelResult] = []
    var export: ExportResult?
    /// SASRec training and scoring speed, and the transformer-block microbenchmark.
    var sasrec: SASRecBenchmarkResult?
    /// The item LLM's encoding throughput against sgemm, and a fine-tuning step.
    var itemLLM: ItemLLMBenchmarkResult?
    /// HLLM's seconds per epoch, frozen and fine-tuned item LLM.
    var hllm: HLLMBenchmarkResult?
    /// Residual k-means and RQ-VAE fitting speed.
    var semanticIDs: SemanticIDsBenchmarkResult?
    /// TIGER's beam-search speed against sgemm and its seconds per epoch on Office.
    var tiger: TIGERBenchmarkResult?
    /// EASE, ItemKNN and SASRec on a generated data set of an Amazon benchmark's shape.
    var amazonSized: AmazonSizedBenchmarkResult?
    /// SASRec's model selection on Amazon Office against one fit of the chosen configuration.
    var search: SearchBenchmarkResult?
    /// The dataset and protocol the models ran on.
    var modelDataset = "ml-100k"
    var modelProtocol = "leave-one-out"
    var totalSeconds: Double?

    /// The whole report as markdown sections.
    func markdown() -> String {
        var sections = ["# llmrec benchmarks\n\n"
            + "\(machine.processors) cores, \(megabytes(Int(machine.memoryBytes))) RAM, \(machine.operatingSystem); "
            + "started \(ISO8601DateFormatter().string(from: startedAt))"
            + (totalSeconds.map { ", took \(MarkdownTable.decimal($0, digits: 1)) s" } ?? "") + ".\n"]
        if let gemm { sections.append(gemmSection(gemm)) }
        if let hash { sections.append(hash.markdownSection()) }
        if !ingest.isEmpty { sections.append(ingestSection()) }
        if !models.isEmpty { sections.append(modelTimingSection()); sections.append(modelQualitySection()) }
        if let export { sections.append(export.markdownSection()) }
        if let sasrec { sections.append(sasrec.markdownSection()) }
        if let itemLLM { sections.append(itemLLM.markdownSection()) }
        if let hllm { sections.append(hllm.markdownSection()) }
        if let semanticIDs { sections.append(semanticIDs.markdownSection()) }
        if let tiger { sections.append(tiger.markdownSection()) }
        if let amazonSized { sections.append(amazonSized.markdownSection()) }
        if let search { sections.append(search.markdownSection()) }
        return sections.joined(separator: "\n")
    }

    /// The sgemm reference line.
    private func gemmSection(_ gemm: GEMMResult) -> String {
        var table = MarkdownTable(header: ["n = m = k", "runs", "best (s)", "median (s)", "best GFLOP/s", "median GFLOP/s"],
                                  rightAligned: Set(0...5))
        table.rows = [["\(gemm.size)", "\(gemm.repetitions)"]
                      + [gemm.bestSeconds, gemm.medianSeconds].map { MarkdownTable.decimal($0, digits: 4) }
                      + [gemm.bestGFLOPS, gemm.medianGFLOPS].map { MarkdownTable.decimal($0, digits: 1) }]
        return "## Reference: sgemm (LinearAlgebra BLAS.gemm, OpenBLAS default threads)\n\n" + table.rendered()
    }

    /// Ingest throughput per data set and the verdict against the target.
    private func ingestSection() -> String {
        var table = MarkdownTable(
            header: ["data", "interactions", "users", "items", "size", "parse (s)", "parse int/s", "checksum (s)",
                     "store (s)", "store int/s", "overall int/s", "peak RSS after parse", "peak RSS after store", "store file"],
            rightAligned: Set(1...13))
        table.rows = ingest.map { result in
            let seconds = { (value: Double?) in MarkdownTable.decimal(value, digits: 2) }
            let rate = { (value: Double) in MarkdownTable.grouped(Int(value)) }
            return [result.label] + [result.interactions, result.users, result.items].map(MarkdownTable.grouped)
                + [megabytes(result.bytes), seconds(result.parseSeconds), rate(result.parseRate),
                   seconds(result.checksumSeconds), seconds(result.storeSeconds), rate(result.storeRate), rate(result.overallRate)]
                + [result.peakBytesAfterParse, result.peakBytesAfterStore, result.storeFileBytes].map(megabytes)
        }
        var text = "## Ingest (parse = loadDataset; store = saveDataset into a fresh store, one transaction)\n\n"
            + table.rendered()
        if let generationSeconds {
            text += "\nGenerating the ratings file took \(MarkdownTable.decimal(generationSeconds, digits: 1)) s"
                + (generationSeconds == 0 ? " (reused from an earlier run).\n" : ".\n")
        }
        if let target = ingestTarget {
            let grouped = MarkdownTable.grouped
            let scope = target.lines == target.definedForLines
                ? "" : " (the target is defined for \(grouped(target.definedForLines)) lines; this run had \(grouped(target.lines)))"
            text += "\nTarget: >= \(grouped(Int(target.minimumInteractionsPerSecond))) interactions/s overall and peak RSS < "
                + "\(megabytes(target.maximumPeakBytes)): **\(target.passed ? "PASS" : "FAIL")** — "
                + "\(grouped(Int(target.interactionsPerSecond))) interactions/s, peak \(megabytes(target.peakBytes))\(scope).\n"
        }
        return text
    }

    /// Per-model fit, scoring and evaluation times.
    private func modelTimingSection() -> String {
        var table = MarkdownTable(
            header: ["model", "chosen config", "grid points", "grid fit (s)", "grid validation (s)",
                     "fit train+valid (s)", "scoring (µs/user)", "test evaluation (s)"],
            rightAligned: Set(2...7))
        table.rows = models.map { result in
            [result.model, MarkdownTable.config(result.config), "\(result.gridPoints)"]
                + [result.gridFitSeconds, result.gridValidationSeconds, result.fitSeconds].map { MarkdownTable.decimal($0, digits: 2) }
                + [MarkdownTable.decimal(result.scoringMicrosecondsPerUser, digits: 1),
                   MarkdownTable.decimal(result.testEvaluationSeconds, digits: 3)]
        }
        let batch = models.first?.scoringBatchSize ?? 0
        return "## Models on \(modelDataset) (\(modelProtocol)): time\n\n"
            + "Scoring: scoreBatch over every test user, \(batch) users per call, one thread. "
            + "Test evaluation: Evaluator over the test cases (all cores).\n\n" + table.rendered()
    }

    /// Per-model validation and test quality.
    private func modelQualitySection() -> String {
        let keys = ["NDCG@10", "HR@10", "MRR"]
        var table = MarkdownTable(
            header: ["model"] + keys.map { "valid \($0)" } + ["test NDCG@10 [95% CI]", "test HR@10", "test MRR"],
            rightAligned: Set(1...6))
        table.rows = models.map { result in
            let interval = result.testNDCG10Lower.flatMap { lower in
                result.testNDCG10Upper.map { " [\(MarkdownTable.metric(lower)), \(MarkdownTable.metric($0))]" }
            } ?? ""
            return [result.model] + keys.map { MarkdownTable.metric(result.validationMetrics[$0]) }
                + [MarkdownTable.metric(result.testMetrics["NDCG@10"]) + interval, MarkdownTable.metric(result.testMetrics["HR@10"]),
                   MarkdownTable.metric(result.testMetrics["MRR"])]
        }
        return "## Models on \(modelDataset) (\(modelProtocol)): quality\n\n" + table.rendered()
    }

    /// Pretty-printed JSON with sorted keys and ISO 8601 dates; non-finite numbers as strings.
    func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity",
                                                                       negativeInfinity: "-Infinity", nan: "NaN")
        return try encoder.encode(self)
    }
}

/// Bytes in decimal megabytes, one decimal ("–" when unknown).
func megabytes(_ bytes: Int?) -> String {
    bytes.map { String(format: "%.1f MB", Double($0) / 1e6) } ?? "–"
}
