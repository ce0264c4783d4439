import Datasets
import Foundation
import ItemLLM
import LinearAlgebra
import NeuralNet
import SeededRandom

/// HLLM's user model (Chen et al. 2024, "HLLM: Enhancing Sequential Recommendations via
/// Hierarchical Large Language Models for Item and User Modeling"): items are represented by their
/// text, not (only) by an ID, and a causal transformer over a user's item representations predicts
/// the next item.
///
/// - **Item side.** An `ItemTextFeatures` gives each item a text feature `f_i` `[featureDim]` (the
///   item LLM's output: frozen MiniLM embeddings, or the item LLM with its top layers trainable end
///   to end, HLLM §3.1); a linear item tower maps it to `r_i = W f_i + b` `[dim]`, plus a learned
///   item-ID embedding `E_i` when `fuseItemID` (a fusion the paper ablates; ID-free keeps cold-start
///   items fully served by their text).
/// - **User side** (HLLM §3.2). SASRec's causal pre-LN transformer over `√dim · r_{item_t} + P_t`
///   (dropout on the sum, final LayerNorm) gives hidden states `h_t` `[dim]`; the score of item `j`
///   after position `t` is `h_t · r_j`, the same item tower serving inputs and outputs.
/// - **Objectives.** Full softmax cross-entropy over the item representations, or InfoNCE / sampled
///   softmax against `negatives` uniformly sampled items shared by the batch (the paper's
///   contrastive objective), which only runs the batch's items through the item LLM.
/// - **Cold items.** Items that never occur in the training sequences are never negatives (no
///   logit in the softmax, never sampled), so nothing pushes them down: after `fit` they are ranked
///   by their text alone, through the tower shared with the warm items.
///
/// **Training** is SASRec's recipe (`NextItemTraining`): the last training item of each user is
/// held out for early stopping on NDCG@10 (full ranking through `Evaluator`), packed shuffled
/// batches, AdamW (the user model and tower at `learningRate`, the item LLM's trainable layers at
/// `itemLLMLearningRate`), `TrainingLoop` with best-weight restore. Every `fit` asks the features
/// factory for a fresh `ItemTextFeatures`, so trainable item-LLM layers start from their pretrained
/// weights each time.
///
/// **Scoring** computes every item's representation once after `fit` (`[numItems, dim]`, cached),
/// runs the user model over each history's last `maxLength` items and multiplies the last hidden
/// state by the cached representations, one `sgemm` per batch. Deterministic for a seed (given a
/// deterministic features factory); thread-safe after `fit`.
public final class HLLM: EpochTrainedRecommender {
    /// HLLM hyperparameters. The defaults are SASRec's reference configuration on MovieLens-100K
    /// (d = 64, 2 blocks, 1 head, max length 200, dropout 0.2, lr 1e-3, batch 128) with full
    /// cross-entropy, ID fusion on, the item LLM frozen (fine-tuned on the fast path when asked
    /// for) and patience 20.
    public struct Config: Codable, Equatable {
        /// Training objective.
        public enum Loss: String, Codable, Sendable {
            /// Full softmax cross-entropy over every warm item's representation at every position.
            case crossEntropy
            /// Sampled softmax against `negatives` uniformly drawn warm items shared by the batch,
            /// plus the positive (InfoNCE with the user state as query and item representations as
            /// keys; uniform sampling makes the log-Q correction a constant, so none is applied).
            case infoNCE
        }

        /// Model width: item representations and the user model's hidden size (the feed-forward
        /// network is dim -> dim -> dim). Default 64.
        public var dim: Int
        /// Transformer blocks of the user model. Default 2.
        public var blocks: Int
        /// Attention heads per block. Default 1.
        public var heads: Int
        /// Most recent items a sequence keeps (longer histories are cut from the front). Default 200.
        public var maxLength: Int
        /// Dropout rate (user-model input, residual branches, feed-forward). Default 0.2.
        public var dropout: Float
        /// AdamW learning rate of the user model and the item tower (constant). Default 1e-3.
        public var learningRate: Float
        /// AdamW learning rate of the item LLM's trainable parameters (its own optimizer). Default 1e-4.
        public var itemLLMLearningRate: Float
        /// Decoupled weight decay of both optimizers; 0 is plain Adam. Default 0.
        public var weightDecay: Float
        /// Sequences per optimizer step. Default 128.
        public var batchSize: Int
        /// Upper bound on epochs. Default 300.
        public var maxEpochs: Int
        /// Epochs without a better internal validation NDCG@10 before stopping. Default 20 (text
        /// features make HLLM converge sooner than SASRec: on ML-100K its best epoch came about 30
        /// epochs before patience 30 stopped it, and the shorter wait keeps `make run` in budget).
        public var patience: Int
        /// Training objective. Default `.crossEntropy`.
        public var loss: Loss
        /// Sampled negatives per batch for `.infoNCE` (at most the number of warm items). Default 256.
        public var negatives: Int
        /// Whether an item's representation adds a learned item-ID embedding to its text tower.
        /// Default true; false makes the model ID-free (every item, cold or warm, is its text).
        public var fuseItemID: Bool
        /// Top layers of the item LLM trained end to end; read by the features factory that builds
        /// the `ItemTextFeatures` (HLLM itself trains whatever `parameters` that object has).
        /// Default 0 (frozen features).
        public var trainableItemLLMLayers: Int
        /// Fine-tuning's fast path (`.crossEntropy` with trainable item-LLM layers): each step runs
        /// those layers only over some of the batch's items (`itemLLMLiveItems`) and takes every
        /// other warm item's feature from a cache, recomputed without dropout or gradient at every
        /// epoch start and then every this many steps (`CachedItemFeatures`); a refresh costs one
        /// inference pass of the trainable layers over the catalogue. 0 selects the exact path,
        /// every warm item through the trainable layers at every step (18x a frozen epoch on
        /// ML-100K). Ignored with frozen features and with `.infoNCE` (which only runs the batch's
        /// items). Default 8: one refresh per epoch on ML-100K (8 steps); refreshing every 4, 2 or
        /// 1 steps made its fine-tuned epochs 2x to 5x slower for at most +0.0014 validation
        /// NDCG@10 after 3 epochs (0.0555 at 8 steps, 0.0569 at every step).
        public var itemLLMRefreshSteps: Int
        /// On the fast path, at most this many of a step's unique input and target items run through
        /// the trainable item-LLM layers (a uniform sample when there are more; 0: all of them). A
        /// batch of 128 ML-100K users holds about 1,230 of the 1,650 warm items, so without a limit
        /// a step costs most of the exact one. Default 32: with one refresh per epoch, a fine-tuned
        /// ML-100K epoch then costs about 2x a frozen one (16 to 256 live items gave the same
        /// validation NDCG@10 after 5 epochs within its noise).
        public var itemLLMLiveItems: Int
        /// Seed of initialisation, dropout, shuffling and negative sampling. Default 42.
        public var seed: Int

        /// A configuration; every argument has the documented default.
        public init(dim: Int = 64, blocks: Int = 2, heads: Int = 1, maxLength: Int = 200, dropout: Float = 0.2,
                    learningRate: Float = 1e-3, itemLLMLearningRate: Float = 1e-4, weightDecay: Float = 0,
                    batchSize: Int = 128, maxEpochs: Int = 300, patience: Int = 20, loss: Loss = .crossEntropy,
                    negatives: Int = 256, fuseItemID: Bool = true, trainableItemLLMLayers: Int = 0,
                    itemLLMRefreshSteps: Int = 8, itemLLMLiveItems: Int = 32, seed: Int = 42) {
            self.dim = dim
            self.blocks = blocks
            self.heads = heads
            self.maxLength = maxLength
            self.dropout = dropout
            self.learningRate = learningRate
            self.itemLLMLearningRate = itemLLMLearningRate
            self.weightDecay = weightDecay
            self.batchSize = batchSize
            self.maxEpochs = maxEpochs
            self.patience = patience
            self.loss = loss
            self.negatives = negatives
            self.fuseItemID = fuseItemID
            self.trainableItemLLMLayers = trainableItemLLMLayers
            self.itemLLMRefreshSteps = itemLLMRefreshSteps
            self.itemLLMLiveItems = itemLLMLiveItems
            self.seed = seed
        }
    }

    /// Name in reports and on the command line.
    public static let modelName = "hllm"
    /// Dropout {0.2, 0.5} × maximum length {50, 200} around the defaults, searched by successive
    /// halving (`ModelSelection`); item-ID fusion and fine-tuned item-LLM layers are pinned with
    /// `--set` (a text-only variant is another run). `--set` on both pins one point (`make run`
    /// pins ML-100K's).
    public static let defaultGrid = [Float(0.2), 0.5].flatMap { dropout in
        [50, 200].map { Config(maxLength: $0, dropout: dropout) }
    }
    /// `HLLM.modelName`.
    public var name: String { Self.modelName }
    /// The configuration this instance was built with.
    public let config: Config
    /// Catalogue size of the last `fit` (0 before).
    public internal(set) var numItems = 0
    /// Epochs, losses, per-epoch internal validation NDCG@10 and timings of the last `fit`.
    public internal(set) var trainingSummary: TrainingLoop.Summary?
    /// Builds the item text features for a configuration; called once per `fit`.
    let makeFeatures: (Config) throws -> any ItemTextFeatures
    /// The features object of the last `fit` (its trainable layers as trained).
    var features: (any ItemTextFeatures)?
    var network: HLLMNetwork?
    /// Every item's representation `[numItems, dim]` with the current weights.
    var representations: [Float] = []

    /// A model with `config` whose item text features come from `itemFeatures` (called at the
    /// start of every `fit`, so each fit starts from fresh features, e.g. pretrained item-LLM
    /// weights; the object must cover the whole catalogue, `count == numItems`).
    public init(config: Config = Config(), itemFeatures: @escaping (Config) throws -> any ItemTextFeatures) {
        precondition(config.dim > 0 && config.heads > 0 && config.dim % config.heads == 0, "HLLM needs dim divisible by heads")
        precondition(config.blocks > 0 && config.maxLength > 0 && config.batchSize > 0 && config.negatives > 0,
                     "HLLM sizes must be positive")
        self.config = config
        makeFeatures = itemFeatures
    }

    /// Every stored property of `config`, by name, printed with `String(describing:)`.
    public var configDescription: [String: String] {
        Dictionary(uniqueKeysWithValues: Mirror(reflecting: config).children.compactMap { child in
            child.label.map { ($0, String(describing: child.value)) }
        })
    }

    /// Epochs run, the best (restored) epoch and mean seconds per training epoch of the last `fit`.
    public var fitSummary: FitSummary {
        guard let summary = trainingSummary else { return FitSummary() }
        return FitSummary(counts: ["epochsRun": summary.epochsRun, "bestEpoch": summary.bestEpoch],
                          timings: ["secondsPerEpoch": summary.secondsPerEpoch])
    }

    /// Training in progress between `startFit` and `finishFit`.
    private var training: ResumableTraining?

    /// Prepares training on `data` (see the type's documentation); throws what the features factory
    /// throws, or `HLLMError.featureCountMismatch` when the features do not cover the catalogue.
    public func startFit(_ data: TrainingData) throws {
        var trainer = try makeTrainer(data)
        let schedule = trainer.schedule
        training = ResumableTraining(label: "hllm (\(config.loss.rawValue))", parameters: trainer.parameters,
                                     maxEpochs: config.maxEpochs, patience: config.patience,
                                     trainEpoch: { trainer.trainEpoch($0) },
                                     publish: { [unowned self] in publish(trainer) },
                                     validate: { [unowned self] in try schedule.validationNDCG(of: self) })
    }

    public func continueFit(epochs: Int) throws -> TrainingProgress { try training.advance(epochs: epochs) }

    public func finishFit() {
        trainingSummary = training.finish()
    }

    /// A fresh trainer for `data` (fresh features, fresh network from `seed`); the model scores with
    /// it from now on.
    private func makeTrainer(_ data: TrainingData) throws -> HLLMTrainer {
        let features = try makeFeatures(config)
        guard features.count == data.numItems else {
            throw HLLMError.featureCountMismatch(features: features.count, items: data.numItems)
        }
        var random = SplitMix64(seed: UInt64(truncatingIfNeeded: config.seed))
        let network = HLLMNetwork(numItems: data.numItems, featureDim: features.dim, config: config, random: &random)
        let trainer = HLLMTrainer(config: config, data: data, network: network, features: features)
        numItems = data.numItems
        trainingSummary = nil
        publish(trainer)
        return trainer
    }

    /// Scores with `trainer`'s current weights: takes its network and features and caches every
    /// item's representation.
    private func publish(_ trainer: HLLMTrainer) {
        network = trainer.network
        features = trainer.features
        representations = trainer.network.allRepresentations(features: trainer.features, numItems: trainer.numItems)
    }

    /// Scores every item for each history: `h_last · r_j` with `h_last` the user model's last hidden
    /// state over the history's last `maxLength` items and `r_j` the cached representations;
    /// `scores` is `[histories.count, numItems]`. An empty history scores every item 0.
    public func scoreBatch(users: [Int32], histories: [[Int32]], into scores: UnsafeMutableBufferPointer<Float>) {
        precondition(scores.count >= histories.count * numItems, "score buffer too small")
        let dim = config.dim
        guard numItems > 0, !histories.isEmpty, network != nil, representations.count == numItems * dim else {
            UnsafeMutableBufferPointer(rebasing: scores[..<(histories.count * numItems)]).update(repeating: 0)
            return
        }
        BLAS.gemm(transposeB: true, m: histories.count, n: numItems, k: dim, a: userStates(histories: histories), lda: dim,
                  b: representations, ldb: dim, c: scores.baseAddress!, ldc: numItems)
    }

    /// The user model's last hidden state over each history's last `maxLength` item representations:
    /// the vectors that score items, `[histories.count, dim]`; zeros for an empty history or before
    /// `fit`. The histories run as one packed batch, whose rounding can depend on which histories share it.
    public func userStates(histories: [[Int32]]) -> [Float] {
        let dim = config.dim
        guard var network, !histories.isEmpty, representations.count == numItems * dim else {
            return [Float](repeating: 0, count: histories.count * dim)
        }
        let windows = histories.map { $0.suffix(config.maxLength) }
        let layout = SequenceLayout.packed(lengths: windows.map(\.count))
        let inputs = RowGather.gather(representations, dim: dim, rows: windows.flatMap { $0 })
        return SequentialUserModel.lastStates(network.encode(inputs, layout: layout, training: false), layout: layout, dim: dim)
    }

    /// Every item's representation, the vectors the user states score, `[numItems, dim]`; nil before `fit`.
    public var itemRepresentations: Matrix? {
        representations.count == numItems * config.dim && numItems > 0
            ? Matrix(rows: numItems, cols: config.dim, values: representations) : nil
    }

    /// **Testing hook** (finite-difference gradient checks; not part of the modelling API): sets the
    /// model up for `data` as `fit` would (fresh features and network, no training) and returns a
    /// probe of the training loss on one batch of every trainable user.
    public func lossProbe(for data: TrainingData) throws -> LossProbe {
        LossProbe(trainer: try makeTrainer(data), seed: UInt64(truncatingIfNeeded: config.seed))
    }

    /// **Testing hook**: the training loss of one fixed batch as a function of the parameters, with
    /// analytic gradients. Repeated calls see the same batch and the same InfoNCE negatives; with
    /// `dropout > 0` (or features with dropout) each call draws fresh masks, so check gradients
    /// with dropout 0.
    public final class LossProbe {
        private var trainer: HLLMTrainer
        private let batch: NextItemTraining.Batch
        private let seed: UInt64

        init(trainer: HLLMTrainer, seed: UInt64) {
            self.trainer = trainer
            batch = trainer.schedule.batch(users: trainer.schedule.trainableUsers[...])
            self.seed = seed
        }

        /// Every trainable tensor: item tower, item-ID embedding (when fused), positions, encoder,
        /// then the features' own parameters.
        public var parameters: [Parameter] { trainer.parameters }

        /// Zeroes every gradient, computes the mean loss over the batch's positions with the
        /// current parameter values, and accumulates dLoss/dparameter into every `gradient`.
        public func lossAndGradients() -> Double {
            var random = SplitMix64(seed: seed)
            return trainer.lossAndGradients(batch, random: &random)
        }
    }
}

/// Errors of `HLLM.fit` and `HLLM.restoreFittedState`.
public enum HLLMError: Error, Equatable, CustomStringConvertible {
    /// The features factory returned features for `features` items, the catalogue has `items`.
    case featureCountMismatch(features: Int, items: Int)
    /// A saved state was trained on other item text features than the model now gets (`what`
    /// differs: their width, or the checksum of frozen features).
    case itemFeaturesChanged(String)

    public var description: String {
        switch self {
        case let .featureCountMismatch(features, items):
            return "hllm: the item text features cover \(features) items, the catalogue has \(items)"
        case let .itemFeaturesChanged(what):
            return "hllm: the item text features differ from those the saved model was trained with (\(what)); retrain it"
        }
    }
}
