import Datasets
import LinearAlgebra
import NeuralNet
import SeededRandom

/// SASRec's training state and one epoch of minibatch Adam(W) (see `SASRec` for the protocol).
///
/// A batch packs its sequences back to back (`SequenceLayout.packed`): user `u`'s training
/// sequence `s` of length `n` contributes inputs `s[n-1-L ..< n-1]` and next-item targets
/// `s[n-L ..< n]` with `L = min(n - 1, maxLength)`, so no work is spent on padding.
struct SASRecTrainer {
    let config: SASRec.Config
    let data: TrainingData
    var network: SASRecNetwork
    let parameters: [Parameter]
    /// Per user: the sequence trained on (the full one minus the held-out last item).
    let trainSequences: [[Int32]]
    /// Users whose training sequence has at least one (input, target) pair.
    let trainableUsers: [Int]
    /// The held-out last items, one case per user with at least two items.
    let validationCases: [EvaluationCase]
    private var optimizer: AdamW

    init(config: SASRec.Config, data: TrainingData, network: SASRecNetwork) {
        self.config = config
        self.data = data
        self.network = network
        parameters = network.parameters
        let trainSequences = data.sequences.map { $0.count >= 2 ? Array($0.dropLast()) : $0 }
        self.trainSequences = trainSequences
        trainableUsers = trainSequences.indices.filter { trainSequences[$0].count >= 2 }
        validationCases = data.sequences.enumerated().compactMap { user, sequence in
            sequence.count >= 2 ? EvaluationCase(user: Int32(user), history: Array(sequence.dropLast()),
                                                 targets: [sequence.last!]) : nil
        }
        optimizer = AdamW(beta1: 0.9, beta2: 0.98, epsilon: 1e-8, weightDecay: config.weightDecay)
    }

    /// One pass over every trainable user in a seeded random order; returns the mean loss per
    /// position.
    mutating func trainEpoch(_ epoch: Int) -> Double {
        var random = SplitMix64(seed: UInt64(config.seed) &+ UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15)
        var order = trainableUsers
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, random.nextIndex(below: i + 1)) }
        var lossSum = 0.0
        var positions = 0
        for batchStart in stride(from: 0, to: order.count, by: config.batchSize) {
            let batch = order[batchStart..<min(batchStart + config.batchSize, order.count)]
            let (loss, count) = step(users: batch, random: &random)
            lossSum += loss * Double(count)
            positions += count
        }
        return positions > 0 ? lossSum / Double(positions) : 0
    }

    /// One optimizer step on `users`; returns the batch's mean loss and its number of positions.
    mutating func step(users: ArraySlice<Int>, random: inout SplitMix64) -> (loss: Double, positions: Int) {
        var inputs: [Int32] = []
        var targets: [Int32] = []
        var rowUsers: [Int] = []
        var lengths: [Int] = []
        for user in users {
            let sequence = trainSequences[user]
            let length = min(sequence.count - 1, config.maxLength)
            inputs.append(contentsOf: sequence[(sequence.count - 1 - length)..<(sequence.count - 1)])
            targets.append(contentsOf: sequence[(sequence.count - length)...])
            rowUsers.append(contentsOf: repeatElement(user, count: length))
            lengths.append(length)
        }
        let layout = SequenceLayout.packed(lengths: lengths)
        parameters.zeroGradients()
        let hidden = network.forward(inputs, layout: layout, training: true)
        let (loss, dHidden): (Double, [Float])
        switch config.loss {
        case .crossEntropy:
            (loss, dHidden) = crossEntropy(hidden: hidden, targets: targets)
        case .bce:
            let negatives = rowUsers.map { sampleNegative(for: $0, random: &random) }
            (loss, dHidden) = binaryCrossEntropy(hidden: hidden, targets: targets, negatives: negatives)
        }
        network.backward(dHidden)
        optimizer.step(parameters, learningRate: config.learningRate)
        return (loss, targets.count)
    }

    /// Rows of logits computed at once by `crossEntropy` (`[1024, numItems]` stays in the last-level
    /// cache for catalogues of a few thousand items, and the buffer is reused).
    static let crossEntropyBlockRows = 1024

    /// Full softmax cross-entropy, in blocks of rows: logits `[block, numItems]` = H Eᵀ by one sgemm,
    /// softmax and its gradient G in place, then dH = G E and dE += Gᵀ H. Returns the batch's mean
    /// loss and dLoss/dH `[rows, dim]`.
    private func crossEntropy(hidden: [Float], targets: [Int32]) -> (Double, [Float]) {
        let (rows, dim, items) = (targets.count, config.dim, data.numItems)
        let table = network.items.table
        let blockRows = min(rows, Self.crossEntropyBlockRows)
        var logits = [Float](unsafeUninitializedCapacity: blockRows * items) { _, count in count = blockRows * items }
        var dHidden = [Float](repeating: 0, count: rows * dim)
        var loss = 0.0
        hidden.withUnsafeBufferPointer { h in
            table.value.withUnsafeBufferPointer { e in
                logits.withUnsafeMutableBufferPointer { logits in
                    dHidden.withUnsafeMutableBufferPointer { dh in
                        table.gradient.withUnsafeMutableBufferPointer { de in
                            for first in stride(from: 0, to: rows, by: blockRows) {
                                let count = min(blockRows, rows - first)
                                let block = UnsafeMutableBufferPointer(rebasing: logits[..<(count * items)])
                                BLAS.gemm(transposeB: true, m: count, n: items, k: dim, a: h.baseAddress! + first * dim,
                                          lda: dim, b: e.baseAddress!, ldb: dim, c: block.baseAddress!, ldc: items)
                                loss += SoftmaxCrossEntropy.lossAndGradient(logits: block, classes: items,
                                                                            targets: Array(targets[first..<first + count]),
                                                                            divisor: rows)
                                BLAS.gemm(m: count, n: dim, k: items, a: block.baseAddress!, lda: items,
                                          b: e.baseAddress!, ldb: dim, c: dh.baseAddress! + first * dim, ldc: dim)
                                BLAS.gemm(transposeA: true, m: items, n: dim, k: count, a: block.baseAddress!, lda: items,
                                          b: h.baseAddress! + first * dim, ldb: dim, beta: 1, c: de.baseAddress!, ldc: dim)
                            }
                        }
                    }
                }
            }
        }
        return (loss, dHidden)
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
