import Datasets
import Dispatch
import Evaluation
import NeuralNet
import Recommenders
import SeededRandom

/// SASRec's speed on ML-100K in the reference configuration (d = 64, 2 blocks, 1 head, max length
/// 200, batch 128): training throughput and seconds per epoch for both objectives, scoring time per
/// user, and a microbenchmark of one transformer block's forward + backward against the machine's
/// sgemm rate.
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
        /// Sequences and positions per batch.
        var sequences: Int
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

    var training: [Training]
    /// `scoreBatch` over every test user, batches of 256, calling thread: microseconds per user.
    var scoringMicrosecondsPerUser: Double
    var block: Block

    /// Measures on `experiment`'s split; `gemmGFLOPS` is the reference sgemm rate.
    static func measure(experiment: Experiment, epochs: Int, gemmGFLOPS: Double?) throws -> SASRecBenchmarkResult {
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
                                     block: measureBlock(gemmGFLOPS: gemmGFLOPS))
    }

    /// Forward + backward of one SASRec block (d = 64, FFN 64, 1 head, dropout 0.2) on 128 causal
    /// sequences of 200 positions, median of 5 runs after a warm-up.
    static func measureBlock(gemmGFLOPS: Double?, sequences: Int = 128, length: Int = 200, dim: Int = 64) -> Block {
        var random = SplitMix64(seed: 7)
        let shape = TransformerBlock.Shape(dim: dim, heads: 1, hidden: dim, causal: true, activation: .relu, dropoutRate: 0.2)
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
        let linear = 2 * Double(dim) * Double(3 * dim + dim + 2 * dim) * positions
        let attention = 2 * 2 * Double(dim) * Double(length * (length + 1) / 2) * Double(sequences)
        let flops = 3 * (linear + attention)
        let gflops = flops / median / 1e9
        return Block(sequences: sequences, positions: layout.rowCount, seconds: median, flops: flops, gflops: gflops,
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
        var blockTable = MarkdownTable(header: ["batch", "positions", "forward + backward (s)", "GFLOP/s", "ratio to sgemm"],
                                       rightAligned: Set(0...4))
        blockTable.rows = [["\(block.sequences) x 200", "\(block.positions)", MarkdownTable.decimal(block.seconds, digits: 4),
                            MarkdownTable.decimal(block.gflops, digits: 1),
                            block.ratioToGEMM.map { MarkdownTable.decimal($0, digits: 2) } ?? "–"]]
        return "## SASRec training on ML-100K (d 64, 2 blocks, 1 head, max length 200, batch 128)\n\n" + table.rendered()
            + "\nScoring: \(MarkdownTable.decimal(scoringMicrosecondsPerUser, digits: 0)) µs per user (batches of 256, one calling thread).\n\n"
            + "### One transformer block (d 64, causal, dropout 0.2), forward + backward\n\n" + blockTable.rendered()
    }
}
