import Datasets
import Foundation
import LinearAlgebra
import NeuralNet
import SeededRandom
import SemanticIDs

/// TIGER (Rajput et al. 2023, "Recommender Systems with Generative Retrieval"): a generative
/// ranker that reads a user's history as semantic IDs and decodes the next item's code one level
/// at a time with beam search constrained by the prefix trie (`TIGERNetwork`, `TIGERBeamSearch`).
///
/// **One evaluation path.** `scoreBatch` writes each generated item's log-likelihood and negative
/// infinity for every other item, so pessimistic ties rank every item the beam did not reach last
/// and the evaluation loop, export, simulation and `recommend` use TIGER like any scorer. The beam
/// (`beamWidth`, default 50, the largest reported cutoff) bounds how many items get a finite score.
///
/// **Training** is SASRec's recipe (`NextItemTraining`): each user's last training item is held
/// out, the rest trains with every prefix as an example (`TIGERTrainer`), AdamW with linear
/// warm-up and gradient clipping; early stopping on the held-out items' NDCG@10 ranked by beam
/// search of width `validationBeamWidth` (a cheaper proxy of the full beam; the report records
/// both widths); the best epoch's weights are restored.
///
/// **Cold items** have codes from the frozen tokenizer and are in the trie, so the beam can reach
/// them, but a decoder trained on warm items rarely does (TIGER's known cold-start weakness).
///
/// **The hybrid** (`tiger-hybrid`, built with `itemText`; LIGER, Yang et al. 2024) trains a dense
/// head beside the decoder on the same encoder (`TIGERNetwork`) and ranks the beam's items plus
/// every cold item (no interaction in the data `fit` saw) by the dense score `h · r_i` of the
/// encoder's last state against the item's text representation; every other item scores
/// negative infinity. Generation picks the warm candidates, text reaches the cold ones.
public final class TIGER: EpochTrainedRecommender {
    /// Frozen item text features for the hybrid: `[numItems, dim]` row-major (the item LLM's
    /// embeddings).
    public struct ItemText: Sendable {
        public var values: [Float]
        public var dim: Int

        /// Features `values` of `dim` floats per item.
        public init(values: [Float], dim: Int) {
            self.values = values
            self.dim = dim
        }
    }

    /// TIGER hyperparameters. The defaults are a quarter of the paper's model (it uses 4 + 4 blocks,
    /// d 128, 6 heads of 64, FFN 1024) so that a whole training fits the 2-core budget; `--set`
    /// restores the paper's sizes. Four defaults depart from the paper because they measured better
    /// on Amazon Office and ML-100K together (README, "Generative retrieval"): the trie-constrained
    /// softmax, trie-node output rows, those rows read by the encoder, and the encoder's last state
    /// fed to the decoder; setting `constrainedSoftmax`, `nodeOutputRows`, `encoderNodeRows` and
    /// `decoderLastState` to false gives the paper's model.
    public struct Config: Codable, Equatable {
        /// Model width (embeddings, encoder and decoder). Default 64.
        public var dim: Int
        /// Attention heads (divides `dim`). Default 2.
        public var heads: Int
        /// Encoder blocks. Default 2.
        public var encoderBlocks: Int
        /// Decoder blocks. Default 2.
        public var decoderBlocks: Int
        /// Hidden width of every feed-forward network. Default 256.
        public var feedForward: Int
        /// Most recent history items the encoder reads. Default 50.
        public var maxLength: Int
        /// Dropout rate. Default 0.2.
        public var dropout: Float
        /// Peak AdamW learning rate. Default 2e-3.
        public var learningRate: Float
        /// Optimizer steps of linear warm-up to the peak rate. Default 20 (small data sets take only
        /// 8 to 40 steps an epoch).
        public var warmupSteps: Int
        /// Decoupled weight decay. Default 0.01.
        public var weightDecay: Float
        /// Largest global gradient norm (clipped above). Default 1.
        public var gradientClip: Float
        /// Users per optimizer step. Default 128.
        public var batchSize: Int
        /// Upper bound on epochs. Default 100.
        public var maxEpochs: Int
        /// Epochs without a better internal validation NDCG@10 before stopping. Default 8.
        public var patience: Int
        /// Beam width when scoring (evaluation, export, `recommend`): items with a finite score per
        /// user. Default 50.
        public var beamWidth: Int
        /// Beam width of the per-epoch validation inside `fit` (NDCG@10 needs at least 10). Default 10.
        public var validationBeamWidth: Int
        /// Seed of initialisation, dropout and shuffling. Default 42.
        public var seed: Int
        /// Adds a learned item-ID embedding to each history position's code embeddings in the
        /// encoder (the decoder still generates codes only). Default false.
        public var encoderItemIDs: Bool
        /// The hybrid only: adds each history item's text representation (the dense head's text
        /// tower, shared) to the encoder's inputs, as HLLM's user model reads item text. Default
        /// false; `hybridDefaults` sets it.
        public var encoderItemText: Bool
        /// Normalises each level's softmax over the codes the prefix trie allows after the
        /// item's earlier codes, in training and in decoding alike, so an item's likelihood is a
        /// hierarchical softmax over the catalogue and no probability or gradient goes to codes no
        /// item continues with. False: a full softmax over the level's codebook (TIGER's). Default true.
        public var constrainedSoftmax: Bool
        /// Adds to each code's output row a learned row of the trie node it leads to under the
        /// decoded prefix (`TIGERNetwork.nodeOutputs`), so the decoder can tell the items of one
        /// prefix apart by more than their shared code rows. Needs `constrainedSoftmax` (only the
        /// trie's codes have nodes). Default true.
        public var nodeOutputRows: Bool
        /// Adds to each history position's encoder input the trie-node rows of `nodeOutputRows`
        /// along the item's path (every prefix of its code, the leaf included), scaled by √dim: the
        /// rows that score reaching a node also represent it as input, as SASRec ties its input and
        /// output item embeddings, so an item's history occurrences train the rows that generate it.
        /// Needs `nodeOutputRows`. Default true.
        public var encoderNodeRows: Bool
        /// τ: decoding adds `-τ · log q(code | prefix)` at each level, `q` the add-one smoothed
        /// share of the prefix's training targets that the code's subtree holds, so an item scores
        /// `log p(item | history) - τ · log q(item)`: logit adjustment (Menon et al. 2021, "Long-tail
        /// learning via logit adjustment") against the drift of held-out items toward less popular
        /// ones than the training targets. Applies to validation during `fit` as well. Default 0 (the
        /// model's likelihood).
        public var popularityCorrection: Float
        /// Scores level `l`'s codes against the encoder's embeddings of those codes instead of a
        /// separate output table (shared input and output code embeddings, as SASRec and HLLM score
        /// items against the representations they read). Default false.
        public var tiedOutputTables: Bool
        /// Adds the encoder's state at the history's last position to every decoder input token, a
        /// direct path from the user's summary to each level's prediction beside cross-attention
        /// (SASRec scores items from that state alone; through cross-attention alone the decoder
        /// has to find the last position among the history's states by content). Default true.
        public var decoderLastState: Bool

        /// A configuration; every argument has the documented default.
        public init(dim: Int = 64, heads: Int = 2, encoderBlocks: Int = 2, decoderBlocks: Int = 2, feedForward: Int = 256,
                    maxLength: Int = 50, dropout: Float = 0.2, learningRate: Float = 2e-3, warmupSteps: Int = 20,
                    weightDecay: Float = 0.01, gradientClip: Float = 1, batchSize: Int = 128, maxEpochs: Int = 100,
                    patience: Int = 8, beamWidth: Int = 50, validationBeamWidth: Int = 10, seed: Int = 42,
                    encoderItemIDs: Bool = false, encoderItemText: Bool = false, constrainedSoftmax: Bool = true,
                    nodeOutputRows: Bool = true, encoderNodeRows: Bool = true, popularityCorrection: Float = 0,
                    tiedOutputTables: Bool = false, decoderLastState: Bool = true) {
            self.dim = dim
            self.heads = heads
            self.encoderBlocks = encoderBlocks
            self.decoderBlocks = decoderBlocks
            self.feedForward = feedForward
            self.maxLength = maxLength
            self.dropout = dropout
            self.learningRate = learningRate
            self.warmupSteps = warmupSteps
            self.weightDecay = weightDecay
            self.gradientClip = gradientClip
            self.batchSize = batchSize
            self.maxEpochs = maxEpochs
            self.patience = patience
            self.beamWidth = beamWidth
            self.validationBeamWidth = validationBeamWidth
            self.seed = seed
            self.encoderItemIDs = encoderItemIDs
            self.encoderItemText = encoderItemText
            self.constrainedSoftmax = constrainedSoftmax
            self.nodeOutputRows = nodeOutputRows
            self.encoderNodeRows = encoderNodeRows
            self.popularityCorrection = popularityCorrection
            self.tiedOutputTables = tiedOutputTables
            self.decoderLastState = decoderLastState
        }

        /// `tiger-hybrid`'s defaults: these with `encoderItemText` on and the paper's decoder
        /// (`constrainedSoftmax`, `nodeOutputRows`, `encoderNodeRows` and `decoderLastState` off),
        /// which served Office's cold items better in the hybrid (NDCG@10 0.0205 against 0.0162).
        public static var hybridDefaults: Config {
            var config = Config()
            config.encoderItemText = true
            config.constrainedSoftmax = false
            config.nodeOutputRows = false
            config.encoderNodeRows = false
            config.decoderLastState = false
            return config
        }

        /// Throws `TIGERError.invalidSetting` for a value outside its range.
        public func validate() throws {
            func check(_ ok: Bool, _ message: String) throws { if !ok { throw TIGERError.invalidSetting(message) } }
            try check(dim > 0 && heads > 0 && dim % heads == 0, "dim (\(dim)) must be a positive multiple of heads (\(heads))")
            try check(encoderBlocks > 0 && decoderBlocks > 0, "encoderBlocks and decoderBlocks must be at least 1")
            try check(feedForward > 0 && maxLength > 0 && batchSize > 0, "feedForward, maxLength and batchSize must be positive")
            try check((0..<1).contains(dropout), "dropout must lie in [0, 1)")
            try check(learningRate > 0 && gradientClip > 0 && weightDecay >= 0, "learningRate and gradientClip must be positive, weightDecay non-negative")
            try check(maxEpochs > 0 && patience > 0 && warmupSteps >= 0, "maxEpochs and patience must be positive")
            try check(beamWidth > 0, "beamWidth must be at least 1 (got \(beamWidth))")
            try check(!nodeOutputRows || constrainedSoftmax, "nodeOutputRows needs constrainedSoftmax=true (only the trie's codes have nodes)")
            try check(!encoderNodeRows || nodeOutputRows, "encoderNodeRows needs nodeOutputRows=true (the rows it reads)")
            try check(popularityCorrection >= 0 && popularityCorrection.isFinite, "popularityCorrection must be a finite τ ≥ 0")
            try check(validationBeamWidth >= 10, "validationBeamWidth must be at least 10, the validation cutoff (got \(validationBeamWidth))")
        }
    }

    /// Name in reports and on the command line.
    public static let modelName = "tiger"
    /// Name of the hybrid (`itemText` given) in reports and on the command line.
    public static let hybridModelName = "tiger-hybrid"
    /// Name in reports and on the command line.
    public var name: String { itemText == nil ? Self.modelName : Self.hybridModelName }
    /// The hybrid's item text features (nil for TIGER alone).
    public let itemText: ItemText?
    /// The configuration this instance was built with.
    public let config: Config
    /// Catalogue size (the semantic IDs' item count).
    public private(set) var numItems: Int
    /// Every item's semantic ID (`nil` until given or restored).
    public private(set) var codes: SemanticIDCodes?
    /// Where the codes came from (the store artefact), for reports.
    public private(set) var codesSource: String
    /// Epochs, losses, validation metrics and timings of the last `fit`.
    public private(set) var trainingSummary: TrainingLoop.Summary?
    var trie: SemanticIDTrie?
    var network: TIGERNetwork?
    /// The beam width `scoreBatch` uses now (`validationBeamWidth` during `fit`).
    private var scoringBeamWidth: Int
    /// Hybrid: every item's dense representation `[numItems, dim]` with the current weights.
    var representations: [Float] = []
    /// Hybrid: the items without interactions in the data of the last `fit`, ascending.
    var coldItems: [Int32] = []
    /// How often each item was a training target in the last `fit`, `[numItems]` (what
    /// `popularityCorrection` reads).
    var trainingTargetCounts: [Int] = []

    /// A model with `config` over the catalogue coded by `codes` (nil: only `restoreFittedState`
    /// can make it usable); `codesSource` names them in reports. With `itemText` (one row per
    /// item) it is the hybrid.
    public init(config: Config = Config(), codes: SemanticIDCodes?, codesSource: String = "",
                itemText: ItemText? = nil) throws {
        try config.validate()
        if config.encoderItemText && itemText == nil {
            throw TIGERError.invalidSetting("encoderItemText reads item text, which only tiger-hybrid has")
        }
        if let itemText, let codes, itemText.dim <= 0 || itemText.values.count != codes.count * itemText.dim {
            throw TIGERError.invalidSetting("the item text features do not hold \(itemText.dim) floats for each of \(codes.count) items")
        }
        self.itemText = itemText
        if let codes {
            guard config.beamWidth <= codes.count else {
                throw TIGERError.invalidSetting("beamWidth (\(config.beamWidth)) exceeds the catalogue (\(codes.count) items)")
            }
            trie = try SemanticIDTrie(codes)
        }
        self.config = config
        self.codes = codes
        self.codesSource = codesSource
        numItems = codes?.count ?? 0
        scoringBeamWidth = config.beamWidth
    }

    /// Every stored property of `config`, by name, plus the semantic IDs' source.
    public var configDescription: [String: String] {
        var description = Dictionary(uniqueKeysWithValues: Mirror(reflecting: config).children.compactMap { child in
            child.label.map { ($0, String(describing: child.value)) }
        })
        if !codesSource.isEmpty { description["semanticIDs"] = codesSource }
        return description
    }

    /// Epochs run, the best (restored) epoch and mean seconds per training epoch of the last `fit`.
    public var fitSummary: FitSummary {
        guard let summary = trainingSummary else { return FitSummary() }
        return FitSummary(counts: ["epochsRun": summary.epochsRun, "bestEpoch": summary.bestEpoch,
                                   "beamWidth": config.beamWidth, "validationBeamWidth": config.validationBeamWidth],
                          timings: ["secondsPerEpoch": summary.secondsPerEpoch])
    }

    /// Training in progress between `startFit` and `finishFit`.
    private var training: ResumableTraining?

    /// Prepares training on `data`; throws `TIGERError.noSemanticIDs` without codes and
    /// `.catalogueMismatch` when they do not cover `data`'s catalogue. Until `finishFit`, the model
    /// scores with the validation beam (`validationBeamWidth`).
    public func startFit(_ data: TrainingData) throws {
        guard let codes else { throw TIGERError.noSemanticIDs }
        guard codes.count == data.numItems else { throw TIGERError.catalogueMismatch(codes: codes.count, items: data.numItems) }
        var trainer = makeTrainer(data, codes: codes)
        trainingTargetCounts = [Int](repeating: 0, count: data.numItems)
        for sequence in trainer.schedule.trainSequences {
            for item in sequence.dropFirst().suffix(config.maxLength) { trainingTargetCounts[Int(item)] += 1 }
        }
        var seen = [Bool](repeating: false, count: data.numItems)
        for sequence in data.sequences { for item in sequence { seen[Int(item)] = true } }
        coldItems = itemText == nil ? [] : seen.indices.filter { !seen[$0] }.map(Int32.init)
        scoringBeamWidth = config.validationBeamWidth
        let schedule = trainer.schedule
        training = ResumableTraining(label: name, parameters: trainer.parameters, maxEpochs: config.maxEpochs,
                                     patience: config.patience, trainEpoch: { trainer.trainEpoch($0) },
                                     publish: { [unowned self] in publish(trainer.network) },
                                     validate: { [unowned self] in try schedule.validationNDCG(of: self) })
    }

    public func continueFit(epochs: Int) throws -> TrainingProgress { try training.advance(epochs: epochs) }

    public func finishFit() {
        trainingSummary = training.finish()
        scoringBeamWidth = config.beamWidth
    }

    /// A fresh trainer (fresh network from `seed`) for `data`.
    private func makeTrainer(_ data: TrainingData, codes: SemanticIDCodes) -> TIGERTrainer {
        var random = SplitMix64(seed: UInt64(truncatingIfNeeded: config.seed))
        let network = TIGERNetwork(codes: codes, trie: trie, itemText: itemText, config: config, random: &random)
        return TIGERTrainer(config: config, data: data, codes: codes, trie: config.constrainedSoftmax ? trie : nil,
                            network: network, itemText: itemText)
    }

    /// Scores with `network` from now on (the hybrid caches every item's dense representation).
    func publish(_ network: TIGERNetwork) {
        self.network = network
        if var tower = network.textTower, let itemText { representations = tower.forward(itemText.values) }
    }

    /// Writes each generated item's log-likelihood (beam search of width `beamWidth` over the
    /// history's last `maxLength` items) and `-infinity` for every other item, `[batch, numItems]`.
    /// The hybrid writes the dense score of the generated and the cold items instead.
    public func scoreBatch(users: [Int32], histories: [[Int32]], into scores: UnsafeMutableBufferPointer<Float>) {
        precondition(scores.count >= histories.count * numItems, "score buffer too small")
        UnsafeMutableBufferPointer(rebasing: scores[..<(histories.count * numItems)]).update(repeating: -.infinity)
        let (generated, states) = generate(histories: histories, beamWidth: scoringBeamWidth)
        let dim = config.dim
        for (row, candidates) in generated.enumerated() {
            guard itemText != nil, representations.count == numItems * dim else {
                for (item, score) in zip(candidates.items, candidates.scores) { scores[row * numItems + Int(item)] = score }
                continue
            }
            states.withUnsafeBufferPointer { states in
                representations.withUnsafeBufferPointer { representations in
                    let state = UnsafeBufferPointer(rebasing: states[row * dim..<(row + 1) * dim])
                    for item in candidates.items + coldItems {
                        let index = Int(item)
                        scores[row * numItems + index] = SIMDKernels.dot(
                            state, UnsafeBufferPointer(rebasing: representations[index * dim..<(index + 1) * dim]))
                    }
                }
            }
        }
    }

    /// Installs a restored state (`restoreFittedState`).
    func restore(codes: SemanticIDCodes, codesSource: String, trie: SemanticIDTrie, network: TIGERNetwork,
                 representations: [Float], coldItems: [Int32], trainingTargetCounts: [Int]) {
        self.codes = codes
        self.codesSource = codesSource
        self.trie = trie
        self.network = network
        self.representations = representations
        self.coldItems = coldItems
        self.trainingTargetCounts = trainingTargetCounts
        numItems = codes.count
        trainingSummary = nil
    }

    /// With `popularityCorrection` τ > 0, per trie node `-τ · log q(node | parent)` from the
    /// training target counts (`SemanticIDTrie.conditionalLogFrequencies`); nil otherwise.
    private func nodeScoreOffsets(trie: SemanticIDTrie) -> [Float]? {
        guard config.popularityCorrection > 0, trainingTargetCounts.count == numItems else { return nil }
        return trie.conditionalLogFrequencies(itemCounts: trainingTargetCounts).map { -config.popularityCorrection * $0 }
    }

    /// The beam's items and log-likelihoods for each history, best first (history items kept),
    /// and the encoder's last states `[histories.count, dim]`.
    ///
    /// Each history is searched on its own: batching users packs their rows into shared matrix
    /// products, whose rounding would then depend on which users share a batch, and evaluation,
    /// every export shard and `recommend` must give a user the same scores bit for bit.
    func generate(histories: [[Int32]], beamWidth: Int) -> (generated: [TIGERBeamSearch.Generated], userStates: [Float]) {
        guard let network, let trie, let codes, !histories.isEmpty else {
            return ([TIGERBeamSearch.Generated](repeating: .init(), count: histories.count),
                    [Float](repeating: 0, count: histories.count * config.dim))
        }
        var search = TIGERBeamSearch(network: network, trie: trie, codes: codes, heads: config.heads,
                                     maxLength: config.maxLength, constrainedSoftmax: config.constrainedSoftmax,
                                     nodeScoreOffsets: nodeScoreOffsets(trie: trie))
        var generated: [TIGERBeamSearch.Generated] = []
        var states: [Float] = []
        generated.reserveCapacity(histories.count)
        states.reserveCapacity(histories.count * config.dim)
        for history in histories {
            let result = search.run(histories: [history], beamWidth: beamWidth)
            generated.append(result.generated[0])
            states.append(contentsOf: result.userStates)
        }
        return (generated, states)
    }

    /// The `k` most likely items after `history` by beam search of width `max(k, beamWidth)`,
    /// history items removed, best first (ties: the lexicographically smaller code first).
    public func generateRanking(history: [Int32], k: Int) -> [(item: Int32, logLikelihood: Float)] {
        let generated = generate(histories: [history], beamWidth: max(k, config.beamWidth)).generated[0]
        let seen = Set(history)
        return Array(zip(generated.items, generated.scores).filter { !seen.contains($0.0) }.prefix(k)
            .map { (item: $0.0, logLikelihood: $0.1) })
    }

    /// The exact log-likelihood of every item's code after `history`, `[numItems]`: the decoder
    /// run over every prefix of the trie (a beam as wide as the catalogue). What the beam
    /// approximates; costs one decoder pass per trie node.
    public func exactLogLikelihoods(history: [Int32]) -> [Float] {
        var result = [Float](repeating: -.infinity, count: numItems)
        let generated = generate(histories: [history], beamWidth: max(1, numItems)).generated[0]
        for (item, score) in zip(generated.items, generated.scores) { result[Int(item)] = score }
        return result
    }

    /// **Testing hook** (the reference the beam search is checked against; not part of the
    /// modelling API): every item's log-likelihood after `history` from the teacher-forced decoder
    /// of training (`TIGERNetwork.decode`, no key-value cache), `[numItems]`.
    public func teacherForcedLogLikelihoods(history: [Int32]) -> [Float] {
        guard var network, let codes, let trie, numItems > 0 else { return [Float](repeating: -.infinity, count: numItems) }
        let (levels, dim) = (codes.levels, config.dim)
        let prefixNodes = trie.prefixNodes(of: codes)
        let window = history.suffix(config.maxLength)
        let memoryLayout = SequenceLayout.packed(lengths: [window.count])
        let memory = network.encode(items: Array(window), codes: codes, layout: memoryLayout, training: false)
        let hidden = network.decode(tokens: network.decoderInputs(targetCodes: codes.codes),
                                    crossLayout: SequenceLayout.packed(lengths: [numItems * levels]), memory: memory,
                                    memoryLayout: memoryLayout,
                                    keyLimits: [Int32](repeating: Int32(window.count), count: numItems * levels),
                                    training: false)
        var result = [Float](repeating: 0, count: numItems)
        for item in 0..<numItems {
            for level in 0..<levels {
                let row = Array(hidden[(item * levels + level) * dim..<(item * levels + level + 1) * dim])
                let (parameter, firstRow) = network.outputTable(level)
                let table = Array(parameter.value[firstRow * dim..<(firstRow + codes.codebookSizes[level]) * dim])
                let parent = Int(prefixNodes[item * levels + level])
                let normalisedOver = config.constrainedSoftmax
                    ? trie.validNextCodes(of: parent).map(Int.init)
                    : Array(0..<codes.codebookSizes[level])
                var logits = Dictionary(uniqueKeysWithValues: normalisedOver.map { code in
                    (code, zip(row, table[code * dim..<(code + 1) * dim]).reduce(Float(0)) { $0 + $1.0 * $1.1 })
                })
                if let nodeRows = network.nodeOutputs?.value {
                    for child in trie.children(of: parent) {
                        logits[Int(trie.code[child]), default: 0] += zip(row, nodeRows[child * dim..<(child + 1) * dim])
                            .reduce(Float(0)) { $0 + $1.0 * $1.1 }
                    }
                }
                let largest = logits.values.max()!
                let logNormaliser = largest + log(logits.values.reduce(Float(0)) { $0 + exp($1 - largest) })
                result[item] += logits[Int(codes.codes[item * levels + level])]! - logNormaliser
            }
        }
        return result
    }

    /// **Testing hook** (finite-difference gradient checks): sets the model up for `data` as `fit`
    /// would (fresh network, no training) and returns a probe of the training loss on one batch of
    /// every trainable user. Check with `dropout` 0 (each call draws fresh masks otherwise).
    public func lossProbe(for data: TrainingData) throws -> LossProbe {
        guard let codes else { throw TIGERError.noSemanticIDs }
        return LossProbe(trainer: makeTrainer(data, codes: codes))
    }

    /// **Testing hook**: the training loss of one fixed batch as a function of the parameters.
    public final class LossProbe {
        private var trainer: TIGERTrainer
        private let batch: NextItemTraining.Batch

        init(trainer: TIGERTrainer) {
            self.trainer = trainer
            batch = trainer.schedule.batch(users: trainer.schedule.trainableUsers[...])
        }

        /// Every trainable tensor.
        public var parameters: [Parameter] { trainer.parameters }

        /// Zeroes every gradient, returns the batch's mean loss with the current parameter values
        /// and accumulates dLoss/dparameter into every `gradient`.
        public func lossAndGradients() -> Double {
            trainer.parameters.zeroGradients()
            return trainer.lossAndGradients(batch)
        }
    }
}

/// Why TIGER cannot be built, fit or restored.
public enum TIGERError: Error, Equatable, CustomStringConvertible {
    /// A hyperparameter outside its range.
    case invalidSetting(String)
    /// `fit` without semantic IDs.
    case noSemanticIDs
    /// The semantic IDs cover `codes` items, the data `items`.
    case catalogueMismatch(codes: Int, items: Int)

    public var description: String {
        switch self {
        case .invalidSetting(let message): return "tiger: \(message)"
        case .noSemanticIDs: return "tiger needs the catalogue's semantic IDs (build them with `llmrec semantic-ids`)"
        case let .catalogueMismatch(codes, items):
            return "tiger: the semantic IDs cover \(codes) items, the catalogue has \(items); rebuild them with `llmrec semantic-ids`"
        }
    }
}
