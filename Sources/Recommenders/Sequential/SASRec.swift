import Datasets
import Evaluation
import Foundation
import LinearAlgebra
import NeuralNet
import SeededRandom

/// SASRec (Kang & McAuley 2018, "Self-Attentive Sequential Recommendation"): a causal transformer
/// over the user's last `maxLength` items whose last hidden state scores every item by a dot
/// product with the (shared) item embeddings. Two objectives: the original binary cross-entropy
/// with one sampled negative per position, and full softmax cross-entropy over the catalogue
/// (much stronger; Klenitskiy & Vasilev 2023).
///
/// **Early stopping inside `fit`.** `fit` sees only training sequences, so it holds out each
/// user's last training item (users with at least two items) as an internal validation target:
/// the network trains on the rest, NDCG@10 on the held-out items (full ranking, history excluded)
/// is measured after every epoch, training stops after `patience` epochs without improvement, and
/// the best epoch's weights are restored. Under the standard protocol's refit on train +
/// validation this makes the held-out item exactly the validation item, i.e. the usual SASRec
/// recipe (train on train, stop on validation, test with train + validation as history).
/// The held-out items are never trained on; they still appear in histories at scoring time.
///
/// Scoring runs the network over each history's last `maxLength` items and multiplies the last
/// position's hidden state by the item table, one `sgemm` per batch. Deterministic for a seed.
public final class SASRec: ConfigurableRecommender, EpochTrainedRecommender {
    /// SASRec hyperparameters; the defaults are the configuration of the reference PyTorch run on
    /// MovieLens-100K (d = 64, 2 blocks, 1 head, max length 200, dropout 0.2, lr 1e-3, batch 128).
    public struct Config: Codable, Equatable {
        /// Training objective.
        public enum Loss: String, Codable, Sendable {
            /// Full softmax cross-entropy over the catalogue at every position.
            case crossEntropy
            /// Binary cross-entropy with one uniformly sampled unseen negative per position.
            case bce
        }

        /// Model width (embedding and hidden size).
        public var dim: Int
        /// Feed-forward hidden width in multiples of `dim`: 1 is the paper's dim -> dim -> dim,
        /// RecBole's SASRec uses 4 (inner size 256 at d 64).
        public var feedForwardMultiplier: Int
        /// The feed-forward activation: ReLU as in the paper, GELU as in RecBole.
        public var activation: ActivationFunction
        /// Transformer blocks.
        public var blocks: Int
        /// Attention heads per block.
        public var heads: Int
        /// Most recent items a sequence keeps (longer histories are cut from the front).
        public var maxLength: Int
        /// Dropout rate (embeddings, residual branches, feed-forward).
        public var dropout: Float
        /// Adam learning rate (constant).
        public var learningRate: Float
        /// Decoupled weight decay (AdamW); 0 is plain Adam as in the reference implementation.
        public var weightDecay: Float
        /// Sequences per optimizer step.
        public var batchSize: Int
        /// Upper bound on epochs.
        public var maxEpochs: Int
        /// Epochs without a better internal validation NDCG@10 before stopping.
        public var patience: Int
        /// Training objective.
        public var loss: Loss
        /// Seed of initialisation, dropout, shuffling and negative sampling.
        public var seed: Int

        public init(dim: Int = 64, blocks: Int = 2, heads: Int = 1, maxLength: Int = 200, dropout: Float = 0.2,
                    learningRate: Float = 1e-3, weightDecay: Float = 0, batchSize: Int = 128, maxEpochs: Int = 300,
                    patience: Int = 30, loss: Loss = .crossEntropy, seed: Int = 42, feedForwardMultiplier: Int = 1,
                    activation: ActivationFunction = .relu) {
            self.dim = dim
            self.feedForwardMultiplier = feedForwardMultiplier
            self.activation = activation
            self.blocks = blocks
            self.heads = heads
            self.maxLength = maxLength
            self.dropout = dropout
            self.learningRate = learningRate
            self.weightDecay = weightDecay
            self.batchSize = batchSize
            self.maxEpochs = maxEpochs
            self.patience = patience
            self.loss = loss
            self.seed = seed
        }
    }

    public static let modelName = "sasrec"
    /// Dropout {0.2, 0.5} × maximum length {50, 200} × weight decay {0, 0.5} around the reference
    /// configuration, full cross-entropy (`--set loss=bce` for the original objective), searched by
    /// successive halving (`ModelSelection`). Weight decay 0.5 won validation on Amazon Office
    /// (0.0832 against 0.0818 at dropout 0.5, length 50); width 128 was left out after it overfit
    /// Office by epoch 15. `--set` on all three pins one point (`make run` pins ML-100K's).
    public static let defaultGrid = [Float(0.2), 0.5].flatMap { dropout in
        [50, 200].flatMap { length in [Float(0), 0.5].map { Config(maxLength: length, dropout: dropout, weightDecay: $0) } }
    }
    public let config: Config
    public internal(set) var numItems = 0
    /// Epochs, losses, validation metrics and timings of the last `fit`.
    public internal(set) var trainingSummary: TrainingLoop.Summary?

    /// Epochs run, the best (restored) epoch and mean seconds per training epoch of the last `fit`.
    public var fitSummary: FitSummary {
        guard let summary = trainingSummary else { return FitSummary() }
        return FitSummary(counts: ["epochsRun": summary.epochsRun, "bestEpoch": summary.bestEpoch],
                          timings: ["secondsPerEpoch": summary.secondsPerEpoch])
    }
    var network: SASRecNetwork?

    public init(config: Config = Config()) {
        precondition(config.dim > 0 && config.dim % config.heads == 0, "SASRec needs dim divisible by heads")
        precondition(config.blocks > 0 && config.maxLength > 0 && config.batchSize > 0 && config.feedForwardMultiplier > 0,
                     "SASRec sizes must be positive")
        self.config = config
    }

    /// Training in progress between `startFit` and `finishFit`.
    private var training: ResumableTraining?

    public func startFit(_ data: TrainingData) throws {
        numItems = data.numItems
        trainingSummary = nil
        var random = SplitMix64(seed: UInt64(config.seed))
        var trainer = SASRecTrainer(config: config, data: data, network: SASRecNetwork(numItems: numItems, config: config,
                                                                                       random: &random))
        let schedule = trainer.schedule
        training = ResumableTraining(label: "sasrec (\(config.loss.rawValue))", parameters: trainer.parameters,
                                     maxEpochs: config.maxEpochs, patience: config.patience,
                                     trainEpoch: { trainer.trainEpoch($0) },
                                     publish: { [unowned self] in network = trainer.network },
                                     validate: { [unowned self] in try schedule.validationNDCG(of: self) })
    }

    public func continueFit(epochs: Int) throws -> TrainingProgress { try training.advance(epochs: epochs) }

    public func finishFit() {
        trainingSummary = training.finish()
    }

    public func scoreBatch(users: [Int32], histories: [[Int32]], into scores: UnsafeMutableBufferPointer<Float>) {
        precondition(scores.count >= histories.count * numItems, "score buffer too small")
        guard numItems > 0, !histories.isEmpty, let table = network?.items.table else {
            UnsafeMutableBufferPointer(rebasing: scores[..<(histories.count * numItems)]).update(repeating: 0)
            return
        }
        let dim = config.dim
        BLAS.gemm(transposeB: true, m: histories.count, n: numItems, k: dim, a: userStates(histories: histories), lda: dim,
                  b: table.value, ldb: dim, c: scores.baseAddress!, ldc: numItems)
    }

    /// The network's last hidden state after each history (its last `maxLength` items): the vectors
    /// that score items, `[histories.count, dim]`; zeros for an empty history or before `fit`. The
    /// histories run as one packed batch, whose rounding can depend on which histories share it.
    public func userStates(histories: [[Int32]]) -> [Float] {
        guard var network, !histories.isEmpty else { return [Float](repeating: 0, count: histories.count * config.dim) }
        let windows = histories.map { $0.suffix(config.maxLength) }
        let layout = SequenceLayout.packed(lengths: windows.map(\.count))
        let hidden = network.forward(windows.flatMap { $0 }, layout: layout, training: false)
        return SequentialUserModel.lastStates(hidden, layout: layout, dim: config.dim)
    }

    /// The item embeddings the user states score, `[numItems, dim]`; nil before `fit`.
    public var itemEmbeddings: Matrix? {
        network.map { Matrix(rows: numItems, cols: config.dim, values: Array($0.items.table.value.prefix(numItems * config.dim))) }
    }
}
