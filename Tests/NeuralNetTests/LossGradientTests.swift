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

    func testSoftmaxCrossEntropyOverAllowedClassesOnly() {
        let logits = randomValues(3 * 6, seed: 43, std: 2)
        let targets: [Int32] = [4, 0, 3]
        let allowed: [ArraySlice<Int32>] = [[1, 4, 5], [0, 2, 3, 4], [3]]
        func lossAndGradient(_ logits: [Float]) -> (Double, [Float]) {
            var gradient = logits
            let loss = gradient.withUnsafeMutableBufferPointer {
                SoftmaxCrossEntropy.lossAndGradient(logits: $0, classes: 6, targets: targets, allowedClasses: allowed)
            }
            return (loss, gradient)
        }
        let gradient = lossAndGradient(logits).1
        for (row, classes) in allowed.enumerated() {
            for c in 0..<6 where !classes.contains(Int32(c)) { XCTAssertEqual(gradient[row * 6 + c], 0, "row \(row) class \(c)") }
        }
        assertGradient("restricted softmax cross-entropy", values: logits, analytic: gradient) { lossAndGradient($0).0 }
        // By hand: logits (1, 2, 3, 0) over classes {0, 2}, target 2: log(e + e³) - 3 = log(1 + e⁻²);
        // its gradient is (p₀, 0, p₂ - 1, 0) with p₀ = 1 / (1 + e²).
        var byHand: [Float] = [1, 2, 3, 0]
        let loss = byHand.withUnsafeMutableBufferPointer {
            SoftmaxCrossEntropy.lossAndGradient(logits: $0, classes: 4, targets: [2], allowedClasses: [[0, 2]])
        }
        let p0 = 1 / (1 + exp(2.0))
        XCTAssertEqual(loss, log(1 + exp(-2.0)), accuracy: 1e-6)
        for (value, expected) in zip(byHand, [p0, 0, -p0, 0]) { XCTAssertEqual(Double(value), expected, accuracy: 1e-6) }
        // A single allowed class costs nothing and has no gradient.
        XCTAssertEqual(lossAndGradient(logits).1[12..<18].map { abs($0) }.max(), 0)
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
