import Datasets
import Evaluation
import Foundation
import LinearAlgebra
import NeuralNet
import SeededRandom

/// The next-item training recipe SASRec and HLLM share (everything but the network and the loss):
///
/// - **Internal holdout.** `fit` sees only training sequences, so each user's last training item
///   (users with at least two items) is held out as an internal validation target; the networks
///   train on the rest (`trainSequences`) and NDCG@10 on the held-out items (full ranking, history
///   excluded, through `Evaluator`, `validationNDCG`) drives early stopping with best-weight
///   restore (`ResumableTraining`).
/// - **Packed batches.** A batch packs its sequences back to back (`SequenceLayout.packed`): user
///   `u`'s training sequence `s` of length `n` contributes inputs `s[n-1-L ..< n-1]` and next-item
///   targets `s[n-L ..< n]` with `L = min(n - 1, maxLength)`, so no work is spent on padding.
/// - **Shuffled epochs.** Epoch `e` visits every trainable user once in an order drawn from
///   `SplitMix64(seed + e·φ)`; the same generator then goes to the steps (negative sampling), so an
///   epoch's random draws depend only on the seed and the epoch number.
struct NextItemTraining {
    /// Most recent (input, target) pairs a sequence contributes.
    let maxLength: Int
    /// Sequences per optimizer step.
    let batchSize: Int
    /// Seed of the epochs' shuffles (and of what the steps draw after them).
    let seed: Int
    /// Per user: the sequence trained on (the full one minus the held-out last item).
    let trainSequences: [[Int32]]
    /// Users whose training sequence has at least one (input, target) pair.
    let trainableUsers: [Int]
    /// The held-out last items, one case per user with at least two items.
    let validationCases: [EvaluationCase]

    /// The holdout split of `data`.
    init(data: TrainingData, maxLength: Int, batchSize: Int, seed: Int) {
        self.maxLength = maxLength
        self.batchSize = batchSize
        self.seed = seed
        let trainSequences = data.sequences.map { $0.count >= 2 ? Array($0.dropLast()) : $0 }
        self.trainSequences = trainSequences
        trainableUsers = trainSequences.indices.filter { trainSequences[$0].count >= 2 }
        validationCases = data.sequences.enumerated().compactMap { user, sequence in
            sequence.count >= 2 ? EvaluationCase(user: Int32(user), history: Array(sequence.dropLast()),
                                                 targets: [sequence.last!]) : nil
        }
    }

    /// The (input, target) pairs of some users, packed.
    struct Batch {
        /// Item ids `[rows]` fed to the network.
        var inputs: [Int32] = []
        /// Next items `[rows]`, `targets[r]` follows `inputs[r]`.
        var targets: [Int32] = []
        /// The user of each row, `[rows]`.
        var rowUsers: [Int] = []
        /// Where each user's rows are.
        var layout = SequenceLayout.packed(lengths: [])
    }

    /// The packed batch of `users` (each must be trainable).
    func batch(users: ArraySlice<Int>) -> Batch {
        var batch = Batch()
        var lengths: [Int] = []
        for user in users {
            let sequence = trainSequences[user]
            let length = min(sequence.count - 1, maxLength)
            batch.inputs.append(contentsOf: sequence[(sequence.count - 1 - length)..<(sequence.count - 1)])
            batch.targets.append(contentsOf: sequence[(sequence.count - length)...])
            batch.rowUsers.append(contentsOf: repeatElement(user, count: length))
            lengths.append(length)
        }
        batch.layout = SequenceLayout.packed(lengths: lengths)
        return batch
    }

    /// One pass over every trainable user in the epoch's seeded random order, `batchSize` users per
    /// `step` (which trains on the batch, may draw from the generator, and returns the batch's mean
    /// loss per position); returns the epoch's mean loss per position.
    func runEpoch(_ epoch: Int, step: (Batch, inout SplitMix64) -> Double) -> Double {
        var random = SplitMix64(seed: UInt64(truncatingIfNeeded: seed) &+ UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15)
        var order = trainableUsers
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, random.nextIndex(below: i + 1)) }
        var lossSum = 0.0
        var positions = 0
        for batchStart in stride(from: 0, to: order.count, by: batchSize) {
            let batch = batch(users: order[batchStart..<min(batchStart + batchSize, order.count)])
            let loss = step(batch, &random)
            lossSum += loss * Double(batch.targets.count)
            positions += batch.targets.count
        }
        return positions > 0 ? lossSum / Double(positions) : 0
    }

    /// NDCG@10 of `scorer` on `validationCases` (full ranking, history excluded): the metric that
    /// drives early stopping; 0 without cases.
    func validationNDCG(of scorer: any RankingScorer) throws -> Double {
        guard !validationCases.isEmpty else { return 0 }
        return try Evaluator(options: EvaluationOptions(cutoffs: [10])).evaluate(scorer, on: validationCases)
            .metrics[MetricKey.ndcg(at: 10)] ?? 0
    }

    /// Logit terms beyond `H Eᵀ` that a model adds per row (TIGER's trie-node output rows), block by
    /// block of `fullSoftmaxCrossEntropy`'s rows.
    struct ExtraLogits {
        /// Adds the terms of `rows` to their logits, `[rows.count, items]`.
        let add: (_ rows: Range<Int>, _ logits: UnsafeMutableBufferPointer<Float>) -> Void
        /// Given those rows' dLoss/dlogits `[rows.count, items]`, accumulates the terms' parameter
        /// gradients and adds their share of dLoss/dH into `dHidden` `[rows.count, dim]`.
        let backward: (_ rows: Range<Int>, _ dLogits: UnsafeBufferPointer<Float>,
                       _ dHidden: UnsafeMutableBufferPointer<Float>) -> Void
    }

    /// Rows of logits computed at once by `fullSoftmaxCrossEntropy` (`[1024, items]` stays in the
    /// last-level cache for catalogues of a few thousand items, and the buffer is reused).
    static let crossEntropyBlockRows = 1024

    /// Full softmax cross-entropy of next-item logits `H Eᵀ`, in blocks of rows: logits
    /// `[block, items]` by one sgemm, softmax and its gradient G in place, then dH = G E and
    /// dE += Gᵀ H.
    ///
    /// - Parameters:
    ///   - hidden: H, `[rows, dim]`.
    ///   - targets: `[rows]`, column of E of each row's target (`0..<items`).
    ///   - table: E, `[items, dim]`, the output item representations.
    ///   - tableGradient: dLoss/dE `[items, dim]`, accumulated into.
    ///   - allowedClasses: per row, the columns its softmax runs over (`SoftmaxCrossEntropy`); nil:
    ///     all of them.
    ///   - extraLogits: per-row terms added to `H Eᵀ` before the softmax, with their backward.
    /// - Returns: the mean loss over rows and dLoss/dH `[rows, dim]`.
    static func fullSoftmaxCrossEntropy(hidden: [Float], targets: [Int32], table: [Float], tableGradient: inout [Float],
                                        dim: Int, allowedClasses: [ArraySlice<Int32>]? = nil,
                                        extraLogits: ExtraLogits? = nil) -> (Double, [Float]) {
        let rows = targets.count
        let items = table.count / dim
        guard rows > 0, items > 0 else { return (0, [Float](repeating: 0, count: rows * dim)) }
        let blockRows = min(rows, crossEntropyBlockRows)
        var logits = [Float](unsafeUninitializedCapacity: blockRows * items) { _, count in count = blockRows * items }
        var dHidden = [Float](repeating: 0, count: rows * dim)
        var loss = 0.0
        hidden.withUnsafeBufferPointer { h in
            table.withUnsafeBufferPointer { e in
                logits.withUnsafeMutableBufferPointer { logits in
                    dHidden.withUnsafeMutableBufferPointer { dh in
                        tableGradient.withUnsafeMutableBufferPointer { de in
                            for first in stride(from: 0, to: rows, by: blockRows) {
                                let count = min(blockRows, rows - first)
                                let block = UnsafeMutableBufferPointer(rebasing: logits[..<(count * items)])
                                BLAS.gemm(transposeB: true, m: count, n: items, k: dim, a: h.baseAddress! + first * dim,
                                          lda: dim, b: e.baseAddress!, ldb: dim, c: block.baseAddress!, ldc: items)
                                extraLogits?.add(first..<first + count, block)
                                loss += SoftmaxCrossEntropy.lossAndGradient(logits: block, classes: items,
                                                                            targets: Array(targets[first..<first + count]),
                                                                            divisor: rows,
                                                                            allowedClasses: allowedClasses.map { Array($0[first..<first + count]) })
                                BLAS.gemm(m: count, n: dim, k: items, a: block.baseAddress!, lda: items,
                                          b: e.baseAddress!, ldb: dim, c: dh.baseAddress! + first * dim, ldc: dim)
                                BLAS.gemm(transposeA: true, m: items, n: dim, k: count, a: block.baseAddress!, lda: items,
                                          b: h.baseAddress! + first * dim, ldb: dim, beta: 1, c: de.baseAddress!, ldc: dim)
                                extraLogits?.backward(first..<first + count, UnsafeBufferPointer(block),
                                                      UnsafeMutableBufferPointer(rebasing: dh[first * dim..<(first + count) * dim]))
                            }
                        }
                    }
                }
            }
        }
        return (loss, dHidden)
    }
}

/// One line of training progress on standard error.
func trainingProgress(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
