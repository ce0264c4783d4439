// `make bench`: one run measuring the sgemm reference, ingest throughput and memory (ML-100K and a
// generated MovieLens-format ratings.csv), and every model's time and quality on ML-100K
// leave-one-out. Markdown tables go to stdout, progress to stderr; `--json PATH` keeps the numbers.
// See `Benchmarks --help`.
import Datasets
import Foundation
import ItemLLM
import Recommenders

/// Runs every stage with `options` and returns the filled report.
func runBenchmarks(_ options: BenchmarkOptions) throws -> BenchmarkReport {
    var report = BenchmarkReport()
    let (_, totalSeconds) = try Stopwatch.time {
        progress("sgemm 1024^3 reference")
        report.gemm = GEMMResult.measure()
        progress("SHA-256 throughput")
        report.hash = HashResult.measure()

        try FileManager.default.createDirectory(atPath: options.generatedDirectory, withIntermediateDirectories: true)
        func measureSemanticIDs() throws {
            report.semanticIDs = try SemanticIDsBenchmarkResult.measure(
                officeDirectory: options.officeDirectory, itemLLMDirectory: options.itemLLMDirectory,
                generatedItems: options.semanticIDItems, scratchDirectory: options.generatedDirectory)
        }
        func measureTIGER() throws {
            progress("tiger: beam search and training speed")
            report.tiger = try TIGERBenchmarkResult.measure(officeDirectory: options.officeDirectory, gemm: report.gemm)
        }
        func measureAmazonSized() throws {
            report.amazonSized = try AmazonSizedBenchmarkResult.measure(sasrecEpochs: min(options.sasrecEpochs, 2),
                                                                        easeFitItems: options.easeFitItems)
        }
        func measureSearch() throws {
            report.search = try SearchBenchmarkResult.measure(officeDirectory: options.officeDirectory,
                                                              maxEpochs: options.searchMaxEpochs)
        }
        if options.amazonOnly { return try measureAmazonSized() }
        if options.searchOnly { return try measureSearch() }
        if options.semanticIDsOnly { return try measureSemanticIDs() }
        if options.tigerOnly { return try measureTIGER() }
        if options.blockOnly {
            let experiment = Experiment(dataset: try loadDataset(at: options.dataDirectory, name: "ml-100k").dataset)
            report.sasrec = try SASRecBenchmarkResult.measure(experiment: experiment, epochs: options.sasrecEpochs,
                                                              gemmGFLOPS: report.gemm?.bestGFLOPS)
            return
        }
        report.export = try ExportResult.measure(users: options.exportUsers, items: 50_000, repeats: options.exportRepeats,
                                                 scratchDirectory: options.generatedDirectory)
        if options.exportOnly { return }
        report.ingest.append(try IngestResult.measure(label: "ml-100k", path: options.dataDirectory, name: "ml-100k",
                                                      scratchDirectory: options.generatedDirectory))
        let generated = try GeneratedRatings.prepare(lines: options.ingestLines, in: options.generatedDirectory)
        report.generationSeconds = generated.generationSeconds
        let large = try IngestResult.measure(label: "synthetic ratings.csv", path: generated.folder, format: .movielensCSV,
                                             name: "ml-synthetic", scratchDirectory: options.generatedDirectory)
        report.ingest.append(large)
        report.ingestTarget = BenchmarkReport.IngestTarget(result: large, lines: options.ingestLines)

        progress("models on ml-100k (leave-one-out)")
        var experiment = Experiment(dataset: try loadDataset(at: options.dataDirectory, name: "ml-100k").dataset)
        if options.models.contains(where: ModelRegistry.readsItemText) || options.hllmEpochs > 0 {
            try experiment.attachItemLLM(modelDirectory: ModelDirectory(path: options.itemLLMDirectory), store: nil)
        }
        report.modelDataset = experiment.dataset.name
        report.modelProtocol = experiment.evaluationProtocol.rawValue
        for model in options.models {
            report.models.append(try ModelResult.measure(model: model, experiment: experiment))
        }
        if options.sasrecEpochs > 0 {
            progress("SASRec speed on ml-100k")
            report.sasrec = try SASRecBenchmarkResult.measure(experiment: experiment, epochs: options.sasrecEpochs,
                                                              gemmGFLOPS: report.gemm?.bestGFLOPS)
        }
        if options.itemLLMEncoding {
            progress("item LLM encoding of the ml-100k catalogue")
            report.itemLLM = try ItemLLMBenchmarkResult.measure(dataDirectory: options.dataDirectory,
                                                                modelPath: options.itemLLMDirectory, gemmGFLOPS: report.gemm?.bestGFLOPS)
        }
        if options.hllmEpochs > 0 {
            progress("HLLM speed on ml-100k")
            report.hllm = try HLLMBenchmarkResult.measure(experiment: experiment, epochs: options.hllmEpochs)
        }
        if options.semanticIDs { try measureSemanticIDs() }
        if options.tiger { try measureTIGER() }
        if options.amazonSized { try measureAmazonSized() }
        if options.search { try measureSearch() }
    }
    report.totalSeconds = totalSeconds
    return report
}

do {
    let options = try BenchmarkOptions(arguments: Array(CommandLine.arguments.dropFirst()))
    let report = try runBenchmarks(options)
    print(report.markdown())
    if let jsonPath = options.jsonPath {
        try report.jsonData().write(to: URL(fileURLWithPath: jsonPath), options: .atomic)
        progress("numbers written to \(jsonPath)")
    }
} catch let error as UsageError {
    if error.message.isEmpty {
        print(BenchmarkOptions.usage)
    } else {
        progress("error: \(error.message)\n\n\(BenchmarkOptions.usage)")
        exit(2)
    }
} catch {
    progress("error: \(error)")
    exit(1)
}
