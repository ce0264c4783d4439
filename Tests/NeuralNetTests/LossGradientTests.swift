import GradientTestSupport
import Foundation
import NeuralNet
import XCTest

/// Finite-difference checks of every loss, and their values on hand-computed cases.
final class LossGradientTests: XCTestCase {
    func testSoftmaxCrossEntropyIgnoresNegativeTargets() {
        let logits = randomValues(4 * 5, seed: 40, std: 2)
        let targets: [Int32] = [2, -1, 0, 4]
        func loss(_ logits: [Float]) -> Double {
            var copy = logits
            return copy.withUnsafeMutableBufferPointer {
                SoftmaxCrossEntropy.lossAndGradient(logits: $0, classes: 5, targets: targets)
            }
        }
        var gradient = logits
        _ = gradient.withUnsafeMutableBufferPointer { SoftmaxCrossEntropy.lossAndGradient(logits: $0, classes: 5, targets: targets) }
        XCTAssertTrue(gradient[5..<10].allSatisfy { $0 == 0 })
        assertGradient("softmax cross-entropy", values: logits, analytic: gradient, loss: loss)
        // By hand: uniform logits over 5 classes cost log 5 per counted row.
        XCTAssertEqual(loss([Float](repeating: 0.3, count: 20)), log(5), accuracy: 1e-6)
    }

    func testSampledSoftmaxWithLogQCorrection() {
        let logits = randomValues(3 * 4, seed: 41)
        let logQ = randomValues(3 * 4, seed: 42).map { -abs($0) - 1 }
        func loss(_ logits: [Float]) -> Double {
            var copy = logits
            return copy.withUnsafeMutableBufferPointer { l in
                logQ.withUnsafeBufferPointer { SampledSoftmax.lossAndGradient(logits: l, logSamplingProbabilities: $0, candidates: 4) }
            }
        }
        var gradient = logits
        _ = gradient.withUnsafeMutableBufferPointer { l in
            logQ.withUnsafeBufferPointer { SampledSoftmax.lossAndGradient(logits: l, logSamplingProbabilities: $0, candidates: 4) }
        }
        assertGradient("sampled softmax", values: logits, analytic: gradient, loss: loss)
        // Equal corrected logits: -log(1/4).
        XCTAssertEqual(loss(logQ), log(4), accuracy: 1e-6)
    }

    func testBinaryCrossEntropy() {
        let positive = randomValues(5, seed: 43, std: 2)
        let negative = randomValues(5 * 2, seed: 44, std: 2)
        func loss(_ positive: [Float], _ negative: [Float]) -> Double {
            var p = positive, n = negative
            return p.withUnsafeMutableBufferPointer { p in
                n.withUnsafeMutableBufferPointer { BinaryCrossEntropy.lossAndGradient(positiveLogits: p, negativeLogits: $0) }
            }
        }
        var dp = positive, dn = negative
        _ = dp.withUnsafeMutableBufferPointer { p in
            dn.withUnsafeMutableBufferPointer { BinaryCrossEntropy.lossAndGradient(positiveLogits: p, negativeLogits: $0) }
        }
        assertGradient("BCE positives", values: positive, analytic: dp) { loss($0, negative) }
        assertGradient("BCE negatives", values: negative, analytic: dn) { loss(positive, $0) }
        // By hand: zero logits cost log 2 for the positive and log 2 for each negative.
        XCTAssertEqual(loss([0], [0, 0]), 3 * log(2), accuracy: 1e-6)
        // Large logits stay finite.
        XCTAssertEqual(loss([-100], [100]), 200, accuracy: 1e-3)
    }

    func testInfoNCE() {
        let queries = randomValues(4 * 3, seed: 45)
        let keys = randomValues(4 * 3, seed: 46)
        let (_, dq, dk) = InfoNCE.lossAndGradient(queries: queries, keys: keys, dim: 3, temperature: 0.5)
        assertGradient("InfoNCE queries", values: queries, analytic: dq) {
            InfoNCE.lossAndGradient(queries: $0, keys: keys, dim: 3, temperature: 0.5).loss
        }
        assertGradient("InfoNCE keys", values: keys, analytic: dk) {
            InfoNCE.lossAndGradient(queries: queries, keys: $0, dim: 3, temperature: 0.5).loss
        }
        // Orthogonal unit queries equal to their keys: -log(e^(1/τ) / (e^(1/τ) + (n-1))).
        let identity: [Float] = [1, 0, 0, 0, 1, 0, 0, 0, 1]
        let expected = -log(exp(2.0) / (exp(2.0) + 2))
        XCTAssertEqual(InfoNCE.lossAndGradient(queries: identity, keys: identity, dim: 3, temperature: 0.5).loss,
                       expected, accuracy: 1e-6)
    }
}
