import Datasets
import ItemLLM
import LinearAlgebra
import NeuralNet
import SeededRandom

/// HLLM's training state and one epoch of minibatch AdamW (see `HLLM` for the model; the holdout
/// split, packed batches, shuffled epochs and the early-stopped loop are `NextItemTraining`'s, as
/// for SASRec).
///
/// **Warm and cold items.** An item is warm when it occurs in a training sequence (after the
/// internal holdout); only warm items are ever negatives: the full softmax runs over the warm
/// items' representations only (cold items' logits are excluded), and InfoNCE samples its
/// negatives among warm items. A cold item therefore gets no gradient pushing it down, and after
/// training it is ranked by its text feature alone (through the shared item tower).
///
/// One step, cross-entropy: features of every warm item → tower → `R` `[warm, dim]`; inputs
/// gathered from `R`; user model; logits `H Rᵀ` `[rows, warm]` (in row blocks); CE; dLoss/dR from
/// both the output product and the input gather, then back through the tower into the features.
/// The features of every warm item come from one training forward of the item LLM's trainable
/// layers (the exact path: frozen features, or `itemLLMRefreshSteps` 0), or, while those layers
/// are fine-tuned, from `CachedItemFeatures` (the fast path: live features with gradient only for
/// the batch's items, cached ones for the rest).
/// InfoNCE: only the batch's unique items and the `negatives` sampled ones go through the features
/// and the tower (what makes fine-tuning the item LLM affordable); logits `[rows, 1 + negatives]`,
/// column 0 the positive, the negatives shared by the batch (a negative equal to a row's positive
/// is masked out of that row).
struct HLLMTrainer {
    let config: HLLM.Config
    let numItems: Int
    var network: HLLMNetwork
    var features: any ItemTextFeatures
    /// The user model's and the item tower's parameters.
    let networkParameters: [Parameter]
    /// The item LLM's trainable parameters (empty when frozen).
    let featureParameters: [Parameter]
    /// Both, the network's first.
    var parameters: [Parameter] { networkParameters + featureParameters }
    /// Holdout split, batches, epochs and the early-stopped loop.
    let schedule: NextItemTraining
    /// Warm item ids, ascending.
    let warmItems: [Int32]
    /// Per item: its position in `warmItems`, or -1 when cold, `[numItems]`.
    let warmIndex: [Int32]
    /// Per item: its row in the current step's unique items, or -1 (InfoNCE scratch, `[numItems]`).
    private var localIndex: [Int32]
    /// The fast path's warm-item features (cross-entropy with trainable item-LLM layers and
    /// `itemLLMRefreshSteps` > 0); nil on the exact path.
    private var cachedFeatures: CachedItemFeatures?
    private var networkOptimizer: AdamW
    private var featureOptimizer: AdamW

    init(config: HLLM.Config, data: TrainingData, network: HLLMNetwork, features: any ItemTextFeatures) {
        self.config = config
        numItems = data.numItems
        self.network = network
        self.features = features
        networkParameters = network.parameters
        featureParameters = features.parameters
        schedule = NextItemTraining(data: data, maxLength: config.maxLength, batchSize: config.batchSize, seed: config.seed)
        var warmIndex = [Int32](repeating: -1, count: data.numItems)
        for sequence in schedule.trainSequences { for item in sequence { warmIndex[Int(item)] = 0 } }
        var warmItems: [Int32] = []
        for item in warmIndex.indices where warmIndex[item] >= 0 {
            warmIndex[item] = Int32(warmItems.count)
            warmItems.append(Int32(item))
        }
        self.warmItems = warmItems
        self.warmIndex = warmIndex
        localIndex = [Int32](repeating: -1, count: data.numItems)
        precondition(config.itemLLMRefreshSteps >= 0 && config.itemLLMLiveItems >= 0,
                     "itemLLMRefreshSteps and itemLLMLiveItems must not be negative")
        cachedFeatures = config.loss == .crossEntropy && config.itemLLMRefreshSteps > 0 && !featureParameters.isEmpty
            ? CachedItemFeatures(warmItems: warmItems, refreshSteps: config.itemLLMRefreshSteps,
                                 liveLimit: config.itemLLMLiveItems)
            : nil
        networkOptimizer = AdamW(beta1: 0.9, beta2: 0.98, epsilon: 1e-8, weightDecay: config.weightDecay)
        featureOptimizer = AdamW(beta1: 0.9, beta2: 0.98, epsilon: 1e-8, weightDecay: config.weightDecay)
    }

    /// One pass over every trainable user in a seeded random order (the fast path's cached
    /// features refreshed at its first step); returns the mean loss per position.
    mutating func trainEpoch(_ epoch: Int) -> Double {
        let schedule = schedule
        cachedFeatures?.invalidate()
        return schedule.runEpoch(epoch) { batch, random in step(batch, random: &random) }
    }

    /// One optimizer step on `batch` (the user model and tower at `learningRate`, the item LLM's
    /// trainable layers at `itemLLMLearningRate`); returns the batch's mean loss.
    mutating func step(_ batch: NextItemTraining.Batch, random: inout SplitMix64) -> Double {
        let loss = lossAndGradients(batch, random: &random)
        networkOptimizer.step(networkParameters, learningRate: config.learningRate)
        if !featureParameters.isEmpty { featureOptimizer.step(featureParameters, learningRate: config.itemLLMLearningRate) }
        return loss
    }

    /// Zeroes every gradient, then the batch's mean loss with every parameter's gradient
    /// accumulated (training-mode forward: dropout as configured); InfoNCE negatives and the fast
    /// path's live items (when limited) come from `random`.
    mutating func lossAndGradients(_ batch: NextItemTraining.Batch, random: inout SplitMix64) -> Double {
        networkParameters.zeroGradients()
        featureParameters.zeroGradients()
        guard !batch.targets.isEmpty else { return 0 }
        switch config.loss {
        case .crossEntropy: return crossEntropy(batch, random: &random)
        case .infoNCE: return infoNCE(batch, random: &random)
        }
    }

    /// Full softmax over the warm items, with every warm item's features from the item LLM (exact
    /// path) or from `cachedFeatures` (fast path).
    private mutating func crossEntropy(_ batch: NextItemTraining.Batch, random: inout SplitMix64) -> Double {
        let dim = config.dim
        let inputRows = batch.inputs.map { warmIndex[Int($0)] }
        let targetRows = batch.targets.map { warmIndex[Int($0)] }
        let warmFeatures = cachedFeatures == nil
            ? features.forward(items: warmItems, training: true)
            : cachedFeatures!.forward(stepRows: inputRows + targetRows, features: &features, random: &random)
        let representations = network.represent(features: warmFeatures, items: warmItems)
        let hidden = network.encode(RowGather.gather(representations, dim: dim, rows: inputRows), layout: batch.layout,
                                    training: true)
        var dRepresentations = [Float](repeating: 0, count: representations.count)
        let (loss, dHidden) = NextItemTraining.fullSoftmaxCrossEntropy(hidden: hidden, targets: targetRows,
                                                                       table: representations,
                                                                       tableGradient: &dRepresentations, dim: dim)
        RowGather.scatterAdd(network.encodeBackward(dHidden), dim: dim, rows: inputRows, into: &dRepresentations)
        let dFeatures = network.representBackward(dRepresentations)
        if cachedFeatures == nil {
            features.backward(dFeatures)
        } else {
            cachedFeatures!.backward(dFeatures, features: &features)
        }
        return loss
    }

    /// Sampled softmax against `negatives` uniformly drawn warm items shared by the batch.
    private mutating func infoNCE(_ batch: NextItemTraining.Batch, random: inout SplitMix64) -> Double {
        let (dim, rows) = (config.dim, batch.targets.count)
        // Negatives: a uniform k-subset of the warm items.
        let k = min(config.negatives, warmItems.count)
        let negatives = random.distinctIndices(count: k, below: warmItems.count).map { warmItems[$0] }
        // The step's unique items, ascending, and each one's row.
        for item in batch.inputs { localIndex[Int(item)] = 0 }
        for item in batch.targets { localIndex[Int(item)] = 0 }
        for item in negatives { localIndex[Int(item)] = 0 }
        var unique: [Int32] = []
        for item in localIndex.indices where localIndex[item] >= 0 {
            localIndex[item] = Int32(unique.count)
            unique.append(Int32(item))
        }
        let inputRows = batch.inputs.map { localIndex[Int($0)] }
        let targetRows = batch.targets.map { localIndex[Int($0)] }
        let negativeRows = negatives.map { localIndex[Int($0)] }
        for item in unique { localIndex[Int(item)] = -1 }

        let representations = network.represent(features: features.forward(items: unique, training: true), items: unique)
        let hidden = network.encode(RowGather.gather(representations, dim: dim, rows: inputRows), layout: batch.layout,
                                    training: true)
        let candidates = RowGather.gather(representations, dim: dim, rows: negativeRows)
        let width = 1 + k
        var logits = [Float](repeating: 0, count: rows * width)
        var dHidden = [Float](repeating: 0, count: rows * dim)
        var dCandidates = [Float](repeating: 0, count: k * dim)
        var dRepresentations = [Float](repeating: 0, count: representations.count)
        let loss = hidden.withUnsafeBufferPointer { h in
            representations.withUnsafeBufferPointer { r in
                candidates.withUnsafeBufferPointer { c in
                    logits.withUnsafeMutableBufferPointer { logits in
                        func row(_ buffer: UnsafeBufferPointer<Float>, _ index: Int) -> UnsafeBufferPointer<Float> {
                            UnsafeBufferPointer(rebasing: buffer[index * dim..<(index + 1) * dim])
                        }
                        // Columns 1...k: H Cᵀ; column 0: h_r · r_target; a negative equal to the positive: -∞.
                        BLAS.gemm(transposeB: true, m: rows, n: k, k: dim, a: h.baseAddress!, lda: dim,
                                  b: c.baseAddress!, ldb: dim, c: logits.baseAddress! + 1, ldc: width)
                        for i in 0..<rows {
                            logits[i * width] = SIMDKernels.dot(row(h, i), row(r, Int(targetRows[i])))
                            for j in 0..<k where negativeRows[j] == targetRows[i] { logits[i * width + 1 + j] = -.infinity }
                        }
                        let loss = SoftmaxCrossEntropy.lossAndGradient(logits: logits, classes: width,
                                                                       targets: [Int32](repeating: 0, count: rows))
                        for i in 0..<rows {
                            for j in 0..<k where negativeRows[j] == targetRows[i] { logits[i * width + 1 + j] = 0 }
                        }
                        // dH = G₀ r_target + G₁.. C, dC = G₁..ᵀ H, dr_target += G₀ h.
                        dHidden.withUnsafeMutableBufferPointer { dh in
                            BLAS.gemm(m: rows, n: dim, k: k, a: logits.baseAddress! + 1, lda: width,
                                      b: c.baseAddress!, ldb: dim, c: dh.baseAddress!, ldc: dim)
                            dRepresentations.withUnsafeMutableBufferPointer { dr in
                                for i in 0..<rows {
                                    let g = logits[i * width], t = Int(targetRows[i])
                                    SIMDKernels.axpy(g, row(r, t), UnsafeMutableBufferPointer(rebasing: dh[i * dim..<(i + 1) * dim]))
                                    SIMDKernels.axpy(g, row(h, i), UnsafeMutableBufferPointer(rebasing: dr[t * dim..<(t + 1) * dim]))
                                }
                            }
                        }
                        dCandidates.withUnsafeMutableBufferPointer { dc in
                            BLAS.gemm(transposeA: true, m: k, n: dim, k: rows, a: logits.baseAddress! + 1, lda: width,
                                      b: h.baseAddress!, ldb: dim, c: dc.baseAddress!, ldc: dim)
                        }
                        return loss
                    }
                }
            }
        }
        RowGather.scatterAdd(dCandidates, dim: dim, rows: negativeRows, into: &dRepresentations)
        RowGather.scatterAdd(network.encodeBackward(dHidden), dim: dim, rows: inputRows, into: &dRepresentations)
        features.backward(network.representBackward(dRepresentations))
        return loss
    }
}
