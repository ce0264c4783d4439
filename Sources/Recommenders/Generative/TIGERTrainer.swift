import LinearAlgebra
import NeuralNet
import SeededRandom
import SemanticIDs

/// TIGER's training state and one epoch of minibatch AdamW (the holdout split, packed batches and
/// shuffled epochs are `NextItemTraining`'s, as for SASRec and HLLM).
///
/// One step: the batch's users' training windows go through the encoder once (causal, so the state
/// at position `t` encodes the prefix `0...t`); every next item is a target whose `L` codes are
/// decoded with teacher forcing, its decoder rows reading the encoder states `0...t` only (the
/// prefix mask); the loss of a target is the sum over levels of the full softmax cross-entropy of
/// its code against that level's codebook, i.e. the item's negative log-likelihood under the
/// decoder, averaged over the batch's targets (TIGER's sliding-window examples, all at once).
/// With `constrainedSoftmax` each level's softmax runs over the codes the trie allows after the
/// target's earlier codes only; with `nodeOutputRows` their logits also get the trie-node rows' terms.
///
/// The hybrid adds the dense head's loss: full softmax cross-entropy of `h_t · r_j` over the warm
/// items (those in a training sequence; cold items are never negatives, as in HLLM), its gradient
/// flowing into the encoder states and the text tower.
struct TIGERTrainer {
    let config: TIGER.Config
    let codes: SemanticIDCodes
    var network: TIGERNetwork
    let parameters: [Parameter]
    /// Holdout split, batches, epochs and the early-stopped loop.
    let schedule: NextItemTraining
    private var optimizer: AdamW
    private let learningRates: LearningRateSchedule
    private var step = 0
    /// Hybrid only: the warm items' text features `[warm, featureDim]`, and per item its row there
    /// (-1 when cold), `[numItems]`.
    private let warmFeatures: [Float]
    private let warmIndex: [Int32]
    /// With `constrainedSoftmax`: the trie, and per item and level the node whose children are
    /// that level's allowed codes (`SemanticIDTrie.prefixNodes`), `[numItems, L]`.
    private let trie: SemanticIDTrie?
    private let prefixNodes: [Int32]

    /// A trainer of `network`; with `trie` (`constrainedSoftmax`), each level's softmax runs over
    /// the codes the trie allows after the target's earlier codes.
    init(config: TIGER.Config, data: TrainingData, codes: SemanticIDCodes, trie: SemanticIDTrie?, network: TIGERNetwork,
         itemText: TIGER.ItemText?) {
        self.config = config
        self.codes = codes
        self.trie = trie
        prefixNodes = trie?.prefixNodes(of: codes) ?? []
        self.network = network
        parameters = network.parameters
        schedule = NextItemTraining(data: data, maxLength: config.maxLength, batchSize: config.batchSize, seed: config.seed)
        optimizer = AdamW(beta1: 0.9, beta2: 0.98, epsilon: 1e-8, weightDecay: config.weightDecay)
        learningRates = LearningRateSchedule(peak: config.learningRate, warmupSteps: config.warmupSteps)
        var warmIndex = [Int32](repeating: -1, count: data.numItems)
        var warmFeatures: [Float] = []
        if let itemText {
            var warm = [Bool](repeating: false, count: data.numItems)
            for sequence in schedule.trainSequences { for item in sequence { warm[Int(item)] = true } }
            for item in warm.indices where warm[item] {
                warmIndex[item] = Int32(warmFeatures.count / itemText.dim)
                warmFeatures.append(contentsOf: itemText.values[item * itemText.dim..<(item + 1) * itemText.dim])
            }
        }
        self.warmIndex = warmIndex
        self.warmFeatures = warmFeatures
    }

    /// One pass over every trainable user in a seeded random order; returns the mean loss per target.
    mutating func trainEpoch(_ epoch: Int) -> Double {
        let schedule = schedule
        return schedule.runEpoch(epoch) { batch, _ in
            parameters.zeroGradients()
            let loss = lossAndGradients(batch)
            GradientClipping.clipGlobalNorm(parameters, maxNorm: config.gradientClip)
            optimizer.step(parameters, learningRate: learningRates.rate(atStep: step))
            step += 1
            return loss
        }
    }

    /// With `nodeOutputRows`, the trie-node rows' logit terms of level `level` for decoder rows
    /// `hidden` `[targets, dim]` (row `r` decodes `targets[r]`); nil without them.
    private func nodeLogits(hidden: [Float], targets: [Int32], level: Int) -> NextItemTraining.ExtraLogits? {
        guard let trie, network.nodeOutputs != nil else { return nil }
        let (network, levels, dim, size) = (network, codes.levels, config.dim, codes.codebookSizes[level])
        let parents = targets.map { Int(prefixNodes[Int($0) * levels + level]) }
        return NextItemTraining.ExtraLogits(
            add: { rows, logits in
                hidden.withUnsafeBufferPointer { h in
                    for (i, r) in rows.enumerated() {
                        network.addNodeLogits(h.baseAddress! + r * dim, parent: parents[r], trie: trie, into: logits.baseAddress! + i * size)
                    }
                }
            },
            backward: { rows, dLogits, dHidden in
                hidden.withUnsafeBufferPointer { h in
                    for (i, r) in rows.enumerated() {
                        network.nodeLogitsBackward(h.baseAddress! + r * dim, parent: parents[r], trie: trie,
                                                   dLogits: dLogits.baseAddress! + i * size, dHidden: dHidden.baseAddress! + i * dim)
                    }
                }
            })
    }

    /// The mean negative log-likelihood of the batch's targets, accumulating every gradient.
    mutating func lossAndGradients(_ batch: NextItemTraining.Batch) -> Double {
        let (levels, dim) = (codes.levels, config.dim)
        let memoryLayout = batch.layout
        let memory = network.encode(items: batch.inputs, codes: codes, layout: memoryLayout, training: true)
        let targetCodes = codes.tuples(of: batch.targets)
        var keyLimits: [Int32] = []
        keyLimits.reserveCapacity(targetCodes.count)
        for length in memoryLayout.lengths {
            for t in 0..<length { keyLimits.append(contentsOf: repeatElement(Int32(t + 1), count: levels)) }
        }
        let crossLayout = SequenceLayout.packed(lengths: memoryLayout.lengths.map { $0 * levels })
        let hidden = network.decode(tokens: network.decoderInputs(targetCodes: targetCodes), crossLayout: crossLayout,
                                    memory: memory, memoryLayout: memoryLayout, keyLimits: keyLimits, training: true)
        let targets = batch.targets.count
        var dHidden = [Float](repeating: 0, count: hidden.count)
        var loss = 0.0
        for level in 0..<levels {
            var levelHidden = [Float](repeating: 0, count: targets * dim)
            for r in 0..<targets {
                levelHidden.replaceSubrange(r * dim..<(r + 1) * dim, with: hidden[(r * levels + level) * dim..<(r * levels + level + 1) * dim])
            }
            let levelTargets = (0..<targets).map { targetCodes[$0 * levels + level] }
            let allowed = trie.map { trie in
                batch.targets.map { trie.validNextCodes(of: Int(prefixNodes[Int($0) * levels + level])) }
            }
            let (table, firstRow) = network.outputTable(level)
            let rows = firstRow * dim..<(firstRow + codes.codebookSizes[level]) * dim
            var tableGradient = [Float](repeating: 0, count: rows.count)
            let (levelLoss, dLevel) = NextItemTraining.fullSoftmaxCrossEntropy(
                hidden: levelHidden, targets: levelTargets, table: Array(table.value[rows]), tableGradient: &tableGradient,
                dim: dim, allowedClasses: allowed,
                extraLogits: nodeLogits(hidden: levelHidden, targets: batch.targets, level: level))
            for (index, value) in zip(rows, tableGradient) { table.gradient[index] += value }
            loss += levelLoss
            for r in 0..<targets {
                dHidden.replaceSubrange((r * levels + level) * dim..<(r * levels + level + 1) * dim,
                                        with: dLevel[r * dim..<(r + 1) * dim])
            }
        }
        var dMemory = network.decoderBackward(dHidden, memoryCount: memory.count)
        if var tower = network.textTower {
            let representations = tower.forward(warmFeatures)
            var dRepresentations = [Float](repeating: 0, count: representations.count)
            let (denseLoss, dStates) = NextItemTraining.fullSoftmaxCrossEntropy(
                hidden: memory, targets: batch.targets.map { warmIndex[Int($0)] }, table: representations,
                tableGradient: &dRepresentations, dim: dim)
            loss += denseLoss
            VectorMath.add(dStates, into: &dMemory)
            _ = tower.backward(dRepresentations)
            network.textTower = tower
        }
        network.encoderBackward(dMemory, items: batch.inputs)
        return loss
    }
}
