import Datasets
import Dispatch
import Evaluation
import Foundation
import LinearAlgebra
import Recommenders
import SeededRandom
import SemanticIDs

/// TIGER (generative retrieval) speed: constrained beam search on a generated catalogue, in the
/// default and the paper's model size, with its achieved GFLOP/s against sgemm measured in the same
/// run; and seconds per training epoch on Amazon Office with the published semantic IDs.
///
/// **Beam search.** A generated catalogue of `catalogueItems` items whose codes are three random
/// levels of 256 plus a fourth, disambiguating level (an item's index among the items sharing its
/// first three codes), and histories of `historyLength` random items. The model gets its weights
/// from one epoch on a small generated data set (128 users of 21 random items, one optimizer
/// batch; the speed of the search does not depend on the weights); each beam width then restores
/// those weights into a model of that `beamWidth`. Users are scored the way evaluation scores
/// them: batches of `batchSize` users, split over
/// `activeProcessorCount` threads with `DispatchQueue.concurrentPerform`, each thread calling
/// `scoreBatch` on its own batches into its own buffer, OpenBLAS single-threaded around the whole
/// thing (`BLAS.singleThreaded`); the fastest of `repeats` runs counts.
///
/// **Training.** Office's leave-one-out training part (each user's last two items removed) with
/// the published `Office.index.rq-kmeans.json` codes; `secondsPerEpoch` is TIGER's own
/// `trainingSummary.secondsPerEpoch` (training only; the per-epoch validation by beam search is
/// reported apart), `fitSeconds` the whole `fit`.
struct TIGERBenchmarkResult: Codable {
    /// The sizes of one benchmarked model.
    struct ModelSize: Codable {
        /// "default" or "paper".
        var label: String
        var dim: Int
        var heads: Int
        var encoderBlocks: Int
        var decoderBlocks: Int
        var feedForward: Int

        /// `config`'s sizes, named `label`.
        init(_ label: String, _ config: TIGER.Config) {
            self.label = label
            dim = config.dim
            heads = config.heads
            encoderBlocks = config.encoderBlocks
            decoderBlocks = config.decoderBlocks
            feedForward = config.feedForward
        }

        /// The table cells size, d, heads, blocks enc+dec, FFN.
        var cells: [String] { [label, "\(dim)", "\(heads)", "\(encoderBlocks)+\(decoderBlocks)", "\(feedForward)"] }
    }

    /// The beam search of one model size and beam width.
    struct BeamSearch: Codable {
        var model: ModelSize
        var beamWidth: Int
        /// Users scored per run, users per `scoreBatch` call and worker threads.
        var users: Int
        var batchSize: Int
        var threads: Int
        /// Live beams per user fed through the decoder at each step (step 0 is the BOS token).
        var beamsPerStep: [Int]
        /// Fastest of the runs, seconds for all `users`.
        var bestSeconds: Double
        var millisecondsPerUser: Double
        /// `TIGERBenchmarkResult.beamSearchFLOPs` per user.
        var flopsPerUser: Double
        /// `flopsPerUser · users / bestSeconds / 1e9`.
        var gflops: Double
        /// `gflops` over multi-threaded sgemm's (same cores), and per thread over single-threaded sgemm's.
        var ratioToGEMM: Double
        var perThreadRatioToSingleThreadGEMM: Double
    }

    /// One training run on Office.
    struct Training: Codable {
        var model: ModelSize
        var epochs: Int
        /// Mean training seconds per epoch (forward, backward, optimizer).
        var secondsPerEpoch: Double
        /// Mean seconds per epoch of the validation beam search inside `fit` (width `validationBeamWidth`).
        var validationSecondsPerEpoch: Double
        var validationBeamWidth: Int
        /// The whole `fit`, seconds.
        var fitSeconds: Double
        /// The best epoch's internal validation NDCG@10.
        var bestValidationNDCG10: Double
    }

    /// The generated catalogue and histories of the beam-search rows.
    var catalogueItems: Int
    var catalogueCodebookSizes: [Int]
    var historyLength: Int
    /// sgemm 1024³ GFLOP/s in this run: OpenBLAS's default threads, and one thread.
    var gemmGFLOPS: Double
    var gemmSingleThreadGFLOPS: Double
    var beamSearch: [BeamSearch] = []
    /// Office: users, items, training interactions, items whose published code was moved to make
    /// the codes unique.
    var officeUsers: Int?
    var officeItems: Int?
    var officeTrainingInteractions: Int?
    var officeRecodedItems: Int?
    var training: [Training] = []
    /// Why the Office training rows are missing, if they are.
    var officeSkipped: String?

    /// The default model size (`TIGER.Config()`): d 64, 2 heads, 2 + 2 blocks, FFN 256.
    static let defaultSize = TIGER.Config()
    /// The paper's size (Rajput et al. 2023: 4 + 4 blocks, d 128, FFN 1024), with 4 heads of 32.
    static let paperSize = TIGER.Config(dim: 128, heads: 4, encoderBlocks: 4, decoderBlocks: 4, feedForward: 1024)

    /// Measures everything; `gemm` is this run's sgemm reference (measured here when nil).
    static func measure(officeDirectory: String, gemm: GEMMResult?, catalogueItems: Int = 12_000, historyLength: Int = 20,
                        batchSize: Int = 64, repeats: Int = 3) throws -> TIGERBenchmarkResult {
        progress("tiger: sgemm 1024^3 reference, one thread")
        let multi = gemm ?? GEMMResult.measure()
        let single = BLAS.singleThreaded { GEMMResult.measure() }
        let codes = try generatedCodes(items: catalogueItems, seed: 2026)
        var result = TIGERBenchmarkResult(catalogueItems: catalogueItems, catalogueCodebookSizes: codes.codebookSizes,
                                          historyLength: historyLength, gemmGFLOPS: multi.bestGFLOPS,
                                          gemmSingleThreadGFLOPS: single.bestGFLOPS)

        let threads = ProcessInfo.processInfo.activeProcessorCount
        let users = max(256, batchSize * threads)
        var random = SplitMix64(seed: 7)
        let histories = (0..<users).map { _ in (0..<historyLength).map { _ in Int32(random.nextIndex(below: catalogueItems)) } }
        // One optimizer batch (128 users) of 21 random items: enough to give the network trained weights.
        let weightsData = TrainingData(numUsers: 128, numItems: catalogueItems, sequences: (0..<128).map { _ in
            (0..<21).map { _ in Int32(random.nextIndex(below: catalogueItems)) }
        })
        for (label, size, widths) in [("default", defaultSize, [10, 20, 50]), ("paper", paperSize, [10, 20])] {
            var config = size
            config.maxEpochs = 1
            config.patience = 1
            progress("tiger: \(label) size (d \(config.dim), \(config.encoderBlocks)+\(config.decoderBlocks) blocks), "
                     + "one epoch on \(weightsData.numUsers) generated users for weights")
            let trained = try TIGER(config: config, codes: codes, codesSource: "generated")
            try trained.fit(weightsData)
            let state = try trained.fittedState()
            for width in widths {
                config.beamWidth = width
                let model = try TIGER(config: config, codes: codes, codesSource: "generated")
                try model.restoreFittedState(state)
                progress("tiger: \(label) size, beam \(width): \(users) users, best of \(repeats)")
                let seconds = timeScoring(model, histories: histories, batchSize: batchSize, threads: threads, repeats: repeats)
                let beams = beamsPerStep(codes: codes, beamWidth: width)
                let flops = beamSearchFLOPs(config: config, historyLength: historyLength, beamsPerStep: beams,
                                            codebookSizes: codes.codebookSizes)
                let gflops = flops * Double(users) / seconds / 1e9
                result.beamSearch.append(BeamSearch(
                    model: ModelSize(label, config), beamWidth: width, users: users,
                    batchSize: batchSize, threads: threads, beamsPerStep: beams, bestSeconds: seconds,
                    millisecondsPerUser: seconds / Double(users) * 1e3, flopsPerUser: flops, gflops: gflops,
                    ratioToGEMM: gflops / multi.bestGFLOPS,
                    perThreadRatioToSingleThreadGEMM: gflops / Double(threads) / single.bestGFLOPS))
            }
        }
        try measureOfficeTraining(officeDirectory: officeDirectory, into: &result)
        return result
    }

    // MARK: Beam search

    /// Fastest of `repeats` runs of `model.scoreBatch` over `histories` in batches of `batchSize`,
    /// batch `b` on worker `b % workers` (`workers = min(threads, batches)`), every worker its own
    /// `[batchSize, numItems]` buffer; OpenBLAS single-threaded meanwhile. Seconds.
    static func timeScoring(_ model: TIGER, histories: [[Int32]], batchSize: Int, threads: Int, repeats: Int) -> Double {
        let batches = (histories.count + batchSize - 1) / batchSize
        let workers = min(threads, batches)
        let buffers = (0..<workers).map { _ in
            let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: batchSize * model.numItems)
            buffer.initialize(repeating: 0)
            return buffer
        }
        defer { buffers.forEach { $0.deallocate() } }
        return BLAS.singleThreaded {
            (0..<repeats).map { _ in
                Stopwatch.time {
                    DispatchQueue.concurrentPerform(iterations: workers) { worker in
                        for batch in stride(from: worker, to: batches, by: workers) {
                            let range = batch * batchSize..<min((batch + 1) * batchSize, histories.count)
                            model.scoreBatch(users: range.map { Int32($0) }, histories: Array(histories[range]),
                                             into: buffers[worker])
                        }
                    }
                }.seconds
            }.min()!
        }
    }

    /// Floating-point operations of the beam search for one user (multiply and add counted apart;
    /// matrix products and attention only: LayerNorm, softmax, GELU, embeddings, the trie and the
    /// score buffer are left out). With `d` the model width, `ff` the feed-forward width, `E` and
    /// `D` the encoder and decoder blocks, `n` the history length (at most `maxLength`), `L` the
    /// levels, `V_l` level `l`'s codebook size and `r_l` the live beams at decoder step `l`
    /// (`beamsPerStep`, `r_0 = 1`: the BOS token):
    ///
    ///     encoder         E · [ n · 2(4d² + 2·d·ff)  +  2·2·d · n(n+1)/2 ]
    ///                     (Q, K, V, output projections and the FFN per history row; causal attention
    ///                      scores and weighted values over the visible keys 1...t+1 of row t)
    ///     cross K, V      D · n · 2·2d²   (each decoder block projects the encoder states once)
    ///     decoder step l  r_l · { D · [ 2(3d² + d² + d² + d² + 2·d·ff)          (self QKV, self output,
    ///                                                                        cross query, cross output, FFN)
    ///                                  + 2·2·d·(l+1)                          (self-attention over the cached
    ///                                                                        steps 0...l)
    ///                                  + 2·2·d·n ]                            (cross-attention over the history)
    ///                           + 2·d·V_l }                                   (the level's output logits)
    ///
    /// summed over the steps `l = 0..<L`.
    static func beamSearchFLOPs(config: TIGER.Config, historyLength: Int, beamsPerStep: [Int], codebookSizes: [Int]) -> Double {
        let d = Double(config.dim), ff = Double(config.feedForward)
        let n = Double(min(historyLength, config.maxLength))
        let (encoderBlocks, decoderBlocks) = (Double(config.encoderBlocks), Double(config.decoderBlocks))
        let encoder = encoderBlocks * (n * 2 * (4 * d * d + 2 * d * ff) + 2 * 2 * d * n * (n + 1) / 2)
        let crossKeyValues = decoderBlocks * n * 2 * 2 * d * d
        var decoder = 0.0
        for (level, beams) in beamsPerStep.enumerated() {
            let perBlock = 2 * (6 * d * d + 2 * d * ff) + 2 * 2 * d * Double(level + 1) + 2 * 2 * d * n
            decoder += Double(beams) * (decoderBlocks * perBlock + 2 * d * Double(codebookSizes[level]))
        }
        return encoder + crossKeyValues + decoder
    }

    /// Live beams per user at each decoder step of a search of width `beamWidth` over `codes`:
    /// `r_0 = 1` and `r_l = min(beamWidth, r_{l-1} · c_{l-1})` with `c_k` the fewest children of a
    /// trie node at depth `k`. A lower bound in general (the search keeps `min(beamWidth, children
    /// of its beams)`); exact whenever it reaches `beamWidth` or equals the nodes at that depth,
    /// which holds for the generated catalogue (256 first codes, ~47 second codes under each).
    static func beamsPerStep(codes: SemanticIDCodes, beamWidth: Int) -> [Int] {
        var beams = [1]
        for depth in 0..<(codes.levels - 1) {
            var children: [ArraySlice<Int32>: Set<Int32>] = [:]
            for item in 0..<codes.count { children[codes[item].prefix(depth), default: []].insert(codes.codes[item * codes.levels + depth]) }
            let fewest = children.values.map(\.count).min() ?? 0
            beams.append(min(beamWidth, beams[depth] * fewest, children.values.reduce(0) { $0 + $1.count }))
        }
        return beams
    }

    /// `[items, 4]` unique codes: three seeded random levels of 256 and a fourth level that numbers
    /// the items sharing their first three codes (0, 1, ...); every level's codebook is 256, like the
    /// published LC-Rec indexes.
    static func generatedCodes(items: Int, seed: UInt64) throws -> SemanticIDCodes {
        var random = SplitMix64(seed: seed)
        var codes = [Int32](repeating: 0, count: items * 4)
        var groupSizes: [Int: Int32] = [:]
        for item in 0..<items {
            var key = 0
            for level in 0..<3 {
                let code = random.nextIndex(below: 256)
                codes[item * 4 + level] = Int32(code)
                key = key << 8 | code
            }
            codes[item * 4 + 3] = groupSizes[key, default: 0]
            groupSizes[key, default: 0] += 1
        }
        return try SemanticIDCodes(codes: codes, codebookSizes: [256, 256, 256, 256])
    }

    // MARK: Office training

    /// Fits the default size for 2 epochs and the paper's size for 1 on Office's leave-one-out
    /// training part; notes why when the data is absent.
    private static func measureOfficeTraining(officeDirectory: String, into result: inout TIGERBenchmarkResult) throws {
        let indexPath = (officeDirectory as NSString).appendingPathComponent("Office.index.rq-kmeans.json")
        guard FileManager.default.fileExists(atPath: officeDirectory), FileManager.default.fileExists(atPath: indexPath) else {
            result.officeSkipped = "\(officeDirectory) (with Office.index.rq-kmeans.json) is absent"
            progress("tiger: Office skipped, \(result.officeSkipped!)")
            return
        }
        progress("tiger: reading Office and its published semantic IDs")
        let dataset = try loadDataset(at: officeDirectory, name: "office").dataset
        let split = leaveOneOutSplit(dataset)
        let published = try LCRecIndexFile.read(path: indexPath).codes(forItemIDs: dataset.itemIDs)
        let (codes, recoded) = try published.separatingSharedTuplesInLastLevel()
        let data = TrainingData(numUsers: split.numUsers, numItems: split.numItems, sequences: split.train)
        result.officeUsers = split.numUsers
        result.officeItems = split.numItems
        result.officeTrainingInteractions = split.train.reduce(0) { $0 + $1.count }
        result.officeRecodedItems = recoded
        for (label, size, epochs) in [("default", defaultSize, 2), ("paper", paperSize, 1)] {
            var config = size
            config.maxEpochs = epochs
            config.patience = epochs
            progress("tiger: \(label) size on Office, \(epochs) epoch\(epochs == 1 ? "" : "s")")
            let model = try TIGER(config: config, codes: codes, codesSource: "Office.index.rq-kmeans.json")
            let (_, fitSeconds) = try Stopwatch.time { try model.fit(data) }
            let summary = model.trainingSummary
            let epochRecords = summary?.epochs ?? []
            result.training.append(Training(
                model: ModelSize(label, config), epochs: epochRecords.count,
                secondsPerEpoch: summary?.secondsPerEpoch ?? .nan,
                validationSecondsPerEpoch: epochRecords.isEmpty ? .nan
                    : epochRecords.reduce(0) { $0 + $1.validationSeconds } / Double(epochRecords.count),
                validationBeamWidth: config.validationBeamWidth, fitSeconds: fitSeconds,
                bestValidationNDCG10: summary?.bestMetric ?? .nan))
        }
    }

    // MARK: Report

    /// The markdown section.
    func markdownSection() -> String {
        var beamTable = MarkdownTable(header: ["size", "d", "heads", "blocks enc+dec", "FFN", "beam", "beams per step", "users",
                                               "ms / user", "MFLOP / user", "GFLOP/s", "vs sgemm (all threads)",
                                               "per thread vs sgemm (1 thread)"],
                                      rightAligned: Set(1...12))
        beamTable.rows = beamSearch.map { row in
            row.model.cells + [
             "\(row.beamWidth)", row.beamsPerStep.map(String.init).joined(separator: ", "), "\(row.users)",
             MarkdownTable.decimal(row.millisecondsPerUser, digits: 2), MarkdownTable.decimal(row.flopsPerUser / 1e6, digits: 1),
             MarkdownTable.decimal(row.gflops, digits: 1), MarkdownTable.decimal(row.ratioToGEMM, digits: 3),
             MarkdownTable.decimal(row.perThreadRatioToSingleThreadGEMM, digits: 3)]
        }
        let first = beamSearch.first
        var text = "## TIGER generative retrieval\n\n"
            + "### Beam search (generated catalogue of \(MarkdownTable.grouped(catalogueItems)) items, codebooks "
            + catalogueCodebookSizes.map(String.init).joined(separator: " x ") + ", histories of \(historyLength) items)\n\n"
            + "scoreBatch in batches of \(first?.batchSize ?? 0) users over \(first?.threads ?? 0) threads (OpenBLAS single-threaded), "
            + "fastest of 3 runs; FLOPs counted analytically (matrix products and attention). sgemm 1024^3 in this run: "
            + "\(MarkdownTable.decimal(gemmGFLOPS, digits: 1)) GFLOP/s (default threads), "
            + "\(MarkdownTable.decimal(gemmSingleThreadGFLOPS, digits: 1)) GFLOP/s (one thread).\n\n"
            + beamTable.rendered()
        text += "\n### Training on Amazon Office (leave-one-out training part, published rq-kmeans semantic IDs)\n\n"
        if training.isEmpty {
            text += "Skipped: \(officeSkipped ?? "no runs").\n"
        } else {
            var table = MarkdownTable(header: ["size", "d", "heads", "blocks enc+dec", "FFN", "epochs", "train s / epoch",
                                               "validation s / epoch (beam)", "fit total (s)", "best valid NDCG@10"],
                                      rightAligned: Set(1...9))
            table.rows = training.map { run in
                run.model.cells + [
                 "\(run.epochs)", MarkdownTable.decimal(run.secondsPerEpoch, digits: 2),
                 MarkdownTable.decimal(run.validationSecondsPerEpoch, digits: 2) + " (\(run.validationBeamWidth))",
                 MarkdownTable.decimal(run.fitSeconds, digits: 2), MarkdownTable.metric(run.bestValidationNDCG10)]
            }
            text += "\(MarkdownTable.grouped(officeUsers ?? 0)) users, \(MarkdownTable.grouped(officeItems ?? 0)) items, "
                + "\(MarkdownTable.grouped(officeTrainingInteractions ?? 0)) training interactions; "
                + "\(officeRecodedItems ?? 0) items sharing a published code moved to a free last-level code.\n\n"
                + table.rendered()
        }
        return text
    }
}
