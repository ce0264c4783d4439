import Datasets
import Dispatch
import Evaluation
import NeuralNet
import Recommenders
import SeededRandom

/// SASRec's speed on ML-100K in the reference configuration (d = 64, 2 blocks, 1 head, max length
/// 200, batch 128): training throughput and seconds per epoch for both objectives, scoring time per
/// user, and a microbenchmark of one transformer block's forward + backward (SASRec's shape and the
/// generative ranker's) against the machine's sgemm rate.
struct SASRecBenchmarkResult: Codable {
    /// Training speed of one objective.
    struct Training: Codable {
        /// "crossEntropy" or "bce".
        var loss: String
        /// Epochs timed (the fit on train + validation, early stopping off).
        var epochs: Int
        /// Mean seconds per training epoch (forward, backward, optimizer; validation excluded).
        var secondsPerEpoch: Double
        /// Training sequences and (input, target) positions per epoch.
        var sequencesPerEpoch: Int
        var positionsPerEpoch: Int
        /// Throughput.
        var sequencesPerSecond: Double
        var positionsPerSecond: Double
        /// The reference PyTorch run's seconds per epoch on this kind of machine (issue 3).
        var pytorchSecondsPerEpoch: Double
    }

    /// One block's forward + backward on a full batch.
    struct Block: Codable {
        /// Which model's shape: "SASRec" or "generative ranker".
        var label: String
        /// Model width, attention heads and feed-forward width.
        var dim: Int
        var heads: Int
        var hidden: Int
        /// Sequences and positions per sequence of the batch, and all positions.
        var sequences: Int
        var length: Int
        var positions: Int
        /// Median seconds of forward + backward.
        var seconds: Double
        /// Multiply-adds × 2 of the block's matrix products (causal attention counted for the
        /// visible half), forward and backward.
        var flops: Double
        var gflops: Double
        /// `gflops` over the sgemm 1024³ reference: the fraction of the GEMM bound reached.
        var ratioToGEMM: Double?
    }

    /// The blocks timed: SASRec's (d 64, 1 head, FFN 64, ReLU, 128 x 200) and the generative
    /// ranker's encoder block in the paper's size (d 128, FFN 1024, GELU, 128 x 50). The paper's
    /// 6 heads of 64 (an inner width of 384) do not fit `TransformerBlock.Shape`, whose heads divide
    /// `dim`: 4 heads of 32, as in the TIGER section.
    static let blockShapes: [(label: String, sequences: Int, length: Int, shape: TransformerBlock.Shape)] = [
        ("SASRec", 128, 200, TransformerBlock.Shape(dim: 64, heads: 1, hidden: 64, causal: true, activation: .relu,
                                                    dropoutRate: 0.2)),
        ("generative ranker", 128, 50, TransformerBlock.Shape(dim: 128, heads: 4, hidden: 1024, causal: true,
                                                              activation: .gelu, dropoutRate: 0.2)),
    ]

    var training: [Training]
    /// `scoreBatch` over every test user, batches of 256, calling thread: microseconds per user
    /// (nil when no epochs were timed).
    var scoringMicrosecondsPerUser: Double?
    var blocks: [Block]

    /// Measures the blocks, then trains on `experiment`'s split for `epochs` per objective (0: the
    /// blocks only); `gemmGFLOPS` is the reference sgemm rate.
    static func measure(experiment: Experiment, epochs: Int, gemmGFLOPS: Double?) throws -> SASRecBenchmarkResult {
        let blocks = blockShapes.map {
            measureBlock($0.label, shape: $0.shape, sequences: $0.sequences, length: $0.length, gemmGFLOPS: gemmGFLOPS)
        }
        guard epochs > 0 else { return SASRecBenchmarkResult(training: [], scoringMicrosecondsPerUser: nil, blocks: blocks) }
        let split = experiment.split
        let data = TrainingData(numUsers: split.numUsers, numItems: split.numItems, sequences: split.trainAndValidation)
        var training: [Training] = []
        var lastModel: SASRec?
        for (loss, pytorch) in [(SASRec.Config.Loss.crossEntropy, 5.7), (.bce, 4.0)] {
            let config = SASRec.Config(maxEpochs: epochs, patience: epochs, loss: loss)
            progress("sasrec \(loss.rawValue): \(epochs) timed epochs")
            let model = SASRec(config: config)
            try model.fit(data)
            // fit holds out each user's last item; the rest gives min(n - 1, maxLength) positions.
            let lengths = data.sequences.map { max(0, min($0.count - 2, config.maxLength)) }.filter { $0 > 0 }
            let seconds = model.trainingSummary?.secondsPerEpoch ?? .nan
            let positions = lengths.reduce(0, +)
            training.append(Training(loss: loss.rawValue, epochs: epochs, secondsPerEpoch: seconds,
                                     sequencesPerEpoch: lengths.count, positionsPerEpoch: positions,
                                     sequencesPerSecond: Double(lengths.count) / seconds,
                                     positionsPerSecond: Double(positions) / seconds, pytorchSecondsPerEpoch: pytorch))
            lastModel = model
        }
        let scoring = ModelResult.timeScoring(lastModel!, cases: split.test, batchSize: 256)
        return SASRecBenchmarkResult(training: training, scoringMicrosecondsPerUser: scoring / Double(split.test.count) * 1e6,
                                     blocks: blocks)
    }

    /// Forward + backward of one block of `shape` on `sequences` causal sequences of `length`
    /// positions (packed), median of 5 runs after a warm-up.
    static func measureBlock(_ label: String, shape: TransformerBlock.Shape, sequences: Int, length: Int,
                             gemmGFLOPS: Double?) -> Block {
        progress("transformer block: \(label)")
        var random = SplitMix64(seed: 7)
        let dim = shape.dim
        var block = TransformerBlock(name: "block", shape: shape, random: &random)
        let layout = SequenceLayout.packed(lengths: [Int](repeating: length, count: sequences))
        let x = random.normals(count: layout.rowCount * dim, std: 1)
        let dy = random.normals(count: layout.rowCount * dim, std: 1)
        var times: [Double] = []
        for _ in 0..<6 {
            times.append(Stopwatch.time {
                _ = block.forward(x, layout: layout, training: true)
                _ = block.backward(dy)
            }.seconds)
        }
        let median = times.dropFirst().sorted()[2]
        let positions = Double(layout.rowCount)
        let linear = 2 * Double(dim) * Double(3 * dim + dim + 2 * shape.hidden) * positions
        let visiblePairs = shape.causal ? length * (length + 1) / 2 : length * length
        let attention = 2 * 2 * Double(dim) * Double(visiblePairs) * Double(sequences)
        let flops = 3 * (linear + attention)
        let gflops = flops / median / 1e9
        return Block(label: label, dim: dim, heads: shape.heads, hidden: shape.hidden, sequences: sequences, length: length,
                     positions: layout.rowCount, seconds: median, flops: flops, gflops: gflops,
                     ratioToGEMM: gemmGFLOPS.map { gflops / $0 })
    }

    /// The markdown section `make bench` prints.
    func markdownSection() -> String {
        var table = MarkdownTable(header: ["objective", "epochs timed", "s / epoch", "PyTorch s / epoch", "sequences/s",
                                           "positions/s"], rightAligned: Set(1...5))
        table.rows = training.map { run in
            [run.loss, "\(run.epochs)", MarkdownTable.decimal(run.secondsPerEpoch, digits: 2),
             MarkdownTable.decimal(run.pytorchSecondsPerEpoch, digits: 1), MarkdownTable.decimal(run.sequencesPerSecond, digits: 0),
             MarkdownTable.decimal(run.positionsPerSecond, digits: 0)]
        }
        var blockTable = MarkdownTable(header: ["shape", "d", "heads", "FFN", "batch", "forward + backward (s)", "GFLOP/s",
                                                "ratio to sgemm"], rightAligned: Set(1...7))
        blockTable.rows = blocks.map { block in
            [block.label, "\(block.dim)", "\(block.heads)", "\(block.hidden)", "\(block.sequences) x \(block.length)",
             MarkdownTable.decimal(block.seconds, digits: 4), MarkdownTable.decimal(block.gflops, digits: 1),
             block.ratioToGEMM.map { MarkdownTable.decimal($0, digits: 2) } ?? "–"]
        }
        let scoring = scoringMicrosecondsPerUser.map {
            "\nScoring: \(MarkdownTable.decimal($0, digits: 0)) µs per user (batches of 256, one calling thread).\n"
        } ?? ""
        return "## SASRec training on ML-100K (d 64, 2 blocks, 1 head, max length 200, batch 128)\n\n"
            + (training.isEmpty ? "" : table.rendered() + scoring + "\n")
            + "### One transformer block (causal, dropout 0.2), forward + backward\n\n" + blockTable.rendered()
    }
}
