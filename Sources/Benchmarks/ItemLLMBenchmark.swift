import Datasets
import Evaluation
import Foundation
import ItemLLM
import NeuralNet

/// The item LLM's speed: all-MiniLM-L6-v2 (6 layers, d 384) encoding every ML-100K item text
/// (`ItemTextTemplate.movieLens`, at most 128 tokens) into sentence embeddings, against the
/// machine's sgemm rate measured in the same run; and one fine-tuning step of the top layer
/// (`FineTunedItemTextFeatures`, forward + backward on a batch of items).
struct ItemLLMBenchmarkResult: Codable {
    /// Catalogue items encoded and their tokens (with `[CLS]` and `[SEP]`).
    var items: Int
    var tokens: Int
    /// Packed batches and their target size in tokens.
    var batches: Int
    var tokensPerBatch: Int
    /// Tokenizing the catalogue's texts, seconds.
    var tokenizeSeconds: Double
    /// Encoding (embeddings, 6 layers, pooling, normalisation), best of the timed runs, seconds.
    var encodeSeconds: Double
    var itemsPerSecond: Double
    var tokensPerSecond: Double
    /// Analytic FLOPs of one encoding (`SentenceEncoder.flops`) and the rate achieved.
    var flops: Double
    var gflops: Double
    /// The sgemm 1024³ rate this ratio is taken against, and `gflops` over it.
    var gemmGFLOPS: Double?
    var ratioToGEMM: Double?
    /// One fine-tuning step of the top layer on `fineTuneItems` items: seconds (median) and GFLOP/s
    /// (forward + backward counted as three forwards).
    var fineTuneItems: Int
    var fineTuneSeconds: Double
    var fineTuneGFLOPS: Double

    /// Encodes the ML-100K catalogue in `dataDirectory` with the model in `modelPath`: one untimed
    /// warm-up, then the best of `repetitions` runs. `gemmGFLOPS` is the reference sgemm rate.
    static func measure(dataDirectory: String, modelPath: String = ModelDirectory.defaultPath, gemmGFLOPS: Double?,
                        tokensPerBatch: Int = 4096, repetitions: Int = 2, fineTuneItems: Int = 128) throws -> ItemLLMBenchmarkResult {
        let directory = try ModelDirectory(path: modelPath)
        let parsed = try loadDataset(at: dataDirectory, name: "ml-100k")
        let texts = parsed.dataset.items.map { ItemTextTemplate.movieLens.text(for: $0) }
        let tokenizer = try BertTokenizer(vocabularyURL: directory.vocabularyURL)
        let (ids, tokenizeSeconds) = Stopwatch.time { tokenizer.encode(texts, maxLength: 128) }
        let model = try BertModel(directory: directory)
        var encoder = SentenceEncoder(model: model, tokensPerBatch: tokensPerBatch)
        progress("item LLM: encoding \(ids.count) ML-100K item texts (warm-up + \(repetitions) timed)")
        var best = encoder.encode(ids).statistics
        for _ in 0..<repetitions {
            let statistics = encoder.encode(ids).statistics
            if statistics.seconds < best.seconds || best.seconds == 0 { best = statistics }
        }
        let step = measureFineTuneStep(model: model, itemTokens: ids, batch: fineTuneItems)
        return ItemLLMBenchmarkResult(items: best.items, tokens: best.tokens, batches: best.batches, tokensPerBatch: tokensPerBatch,
                                      tokenizeSeconds: tokenizeSeconds, encodeSeconds: best.seconds,
                                      itemsPerSecond: best.itemsPerSecond, tokensPerSecond: best.tokensPerSecond,
                                      flops: best.flops, gflops: best.gflopsPerSecond, gemmGFLOPS: gemmGFLOPS,
                                      ratioToGEMM: gemmGFLOPS.map { best.gflopsPerSecond / $0 }, fineTuneItems: fineTuneItems,
                                      fineTuneSeconds: step.seconds, fineTuneGFLOPS: step.gflops)
    }

    /// Forward + backward of the top layer (pooling and normalisation included) on the first
    /// `batch` items, median of 5 runs after a warm-up.
    static func measureFineTuneStep(model: BertModel, itemTokens: [[Int32]], batch: Int) -> (seconds: Double, gflops: Double) {
        var features = FineTunedItemTextFeatures(model: model, itemTokens: itemTokens, trainableLayers: 1, dropoutRate: 0.1)
        let items = (0..<Int32(min(batch, itemTokens.count))).map { $0 }
        let gradient = [Float](repeating: 1e-3, count: items.count * features.dim)
        var times: [Double] = []
        for _ in 0..<6 {
            times.append(Stopwatch.time {
                _ = features.forward(items: items, training: true)
                features.backward(gradient)
            }.seconds)
        }
        let median = times.dropFirst().sorted()[2]
        let flops = 3 * SentenceEncoder.flops(lengths: items.map { itemTokens[Int($0)].count }, config: model.config, layers: 1)
        return (median, flops / median / 1e9)
    }

    /// The numbers as a flat map (for a JSON report or a quick look).
    var summary: [String: Double] {
        var values: [String: Double] = ["items": Double(items), "tokens": Double(tokens), "seconds": encodeSeconds,
                                        "itemsPerSecond": itemsPerSecond, "tokensPerSecond": tokensPerSecond,
                                        "gflops": gflops, "fineTuneSeconds": fineTuneSeconds, "fineTuneGFLOPS": fineTuneGFLOPS]
        if let gemmGFLOPS { values["gemmGFLOPS"] = gemmGFLOPS }
        if let ratioToGEMM { values["ratioToGEMM"] = ratioToGEMM }
        return values
    }

    /// The markdown section `make bench` prints.
    func markdownSection() -> String {
        var table = MarkdownTable(header: ["items", "tokens", "batches", "tokenize (s)", "encode (s)", "items/s", "tokens/s",
                                           "GFLOP/s", "ratio to sgemm"], rightAligned: Set(0...8))
        table.rows = [["\(items)", "\(tokens)", "\(batches)", MarkdownTable.decimal(tokenizeSeconds, digits: 3),
                       MarkdownTable.decimal(encodeSeconds, digits: 2), MarkdownTable.decimal(itemsPerSecond, digits: 0),
                       MarkdownTable.decimal(tokensPerSecond, digits: 0), MarkdownTable.decimal(gflops, digits: 1),
                       ratioToGEMM.map { MarkdownTable.decimal($0, digits: 2) } ?? "–"]]
        return "## Item LLM: all-MiniLM-L6-v2 over the ML-100K catalogue (packed batches of ~\(tokensPerBatch) tokens)\n\n"
            + table.rendered()
            + "\nFine-tuning the top layer, forward + backward on \(fineTuneItems) items: "
            + "\(MarkdownTable.decimal(fineTuneSeconds * 1000, digits: 1)) ms, \(MarkdownTable.decimal(fineTuneGFLOPS, digits: 1)) GFLOP/s.\n"
    }
}
