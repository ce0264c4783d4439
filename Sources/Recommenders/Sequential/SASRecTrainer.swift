import Datasets
import LinearAlgebra
import NeuralNet
import SeededRandom

/// SASRec's training state and one epoch of minibatch Adam(W) (see `SASRec` for the protocol; the
/// holdout split, packed batches and shuffled epochs are `NextItemTraining`'s).
struct SASRecTrainer {
    let config: SASRec.Config
    let data: TrainingData
    var network: SASRecNetwork
    let parameters: [Parameter]
    /// Holdout split, batches, epochs and the early-stopped loop.
    let schedule: NextItemTraining
    private var optimizer: AdamW

    init(config: SASRec.Config, data: TrainingData, network: SASRecNetwork) {
        self.config = config
        self.data = data
        self.network = network
        parameters = network.parameters
        schedule = NextItemTraining(data: data, maxLength: config.maxLength, batchSize: config.batchSize, seed: config.seed)
        optimizer = AdamW(beta1: 0.9, beta2: 0.98, epsilon: 1e-8, weightDecay: config.weightDecay)
    }

    /// One pass over every trainable user in a seeded random order; returns the mean loss per
    /// position.
    mutating func trainEpoch(_ epoch: Int) -> Double {
        let schedule = schedule
        return schedule.runEpoch(epoch) { batch, random in step(batch, random: &random) }
    }

    /// One optimizer step on `batch`; returns the batch's mean loss.
    mutating func step(_ batch: NextItemTraining.Batch, random: inout SplitMix64) -> Double {
        parameters.zeroGradients()
        let hidden = network.forward(batch.inputs, layout: batch.layout, training: true)
        let (loss, dHidden): (Double, [Float])
        switch config.loss {
        case .crossEntropy:
            let table = network.items.table
            (loss, dHidden) = NextItemTraining.fullSoftmaxCrossEntropy(hidden: hidden, targets: batch.targets,
                                                                       table: table.value, tableGradient: &table.gradient,
                                                                       dim: config.dim)
        case .bce:
            let negatives = batch.rowUsers.map { sampleNegative(for: $0, random: &random) }
            (loss, dHidden) = binaryCrossEntropy(hidden: hidden, targets: batch.targets, negatives: negatives)
        }
        network.backward(dHidden)
        optimizer.step(parameters, learningRate: config.learningRate)
        return loss
    }

    /// Binary cross-entropy with one negative per position (Kang & McAuley 2018, eq. 3): logits
    /// `h · E[target]` and `h · E[negative]`; gradients go to H and to the two item rows only.
    private func binaryCrossEntropy(hidden: [Float], targets: [Int32], negatives: [Int32]) -> (Double, [Float]) {
        let (rows, dim) = (targets.count, config.dim)
        let table = network.items.table
        var positive = [Float](repeating: 0, count: rows)
        var negative = [Float](repeating: 0, count: rows)
        var dHidden = [Float](repeating: 0, count: rows * dim)
        let loss = hidden.withUnsafeBufferPointer { h in
            table.value.withUnsafeBufferPointer { e in
                func row(_ buffer: UnsafeBufferPointer<Float>, _ index: Int) -> UnsafeBufferPointer<Float> {
                    UnsafeBufferPointer(rebasing: buffer[index * dim..<(index + 1) * dim])
                }
                for r in 0..<rows {
                    positive[r] = SIMDKernels.dot(row(h, r), row(e, Int(targets[r])))
                    negative[r] = SIMDKernels.dot(row(h, r), row(e, Int(negatives[r])))
                }
                let loss = positive.withUnsafeMutableBufferPointer { p in
                    negative.withUnsafeMutableBufferPointer { n in
                        BinaryCrossEntropy.lossAndGradient(positiveLogits: p, negativeLogits: n)
                    }
                }
                dHidden.withUnsafeMutableBufferPointer { dh in
                    table.gradient.withUnsafeMutableBufferPointer { de in
                        for r in 0..<rows {
                            let dhRow = UnsafeMutableBufferPointer(rebasing: dh[r * dim..<(r + 1) * dim])
                            SIMDKernels.axpy(positive[r], row(e, Int(targets[r])), dhRow)
                            SIMDKernels.axpy(negative[r], row(e, Int(negatives[r])), dhRow)
                            let t = Int(targets[r]) * dim, n = Int(negatives[r]) * dim
                            SIMDKernels.axpy(positive[r], row(h, r), UnsafeMutableBufferPointer(rebasing: de[t..<t + dim]))
                            SIMDKernels.axpy(negative[r], row(h, r), UnsafeMutableBufferPointer(rebasing: de[n..<n + dim]))
                        }
                    }
                }
                return loss
            }
        }
        return (loss, dHidden)
    }

    /// A uniformly random item `user` never interacted with (rejection sampling; the user's items
    /// are sorted, so membership is a binary search).
    private func sampleNegative(for user: Int, random: inout SplitMix64) -> Int32 {
        let seen = data.items(ofUser: user)
        guard seen.count < data.numItems else { return Int32(random.nextIndex(below: data.numItems)) }
        while true {
            let candidate = Int32(random.nextIndex(below: data.numItems))
            var (low, high) = (seen.startIndex, seen.endIndex)
            while low < high {
                let mid = (low + high) / 2
                if seen[mid] < candidate { low = mid + 1 } else { high = mid }
            }
            if low == seen.endIndex || seen[low] != candidate { return candidate }
        }
    }
}
