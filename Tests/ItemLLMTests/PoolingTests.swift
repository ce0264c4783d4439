import GradientTestSupport
import ItemLLM
import NeuralNet
import XCTest

final class PoolingTests: XCTestCase {
    func testMeanPoolingAveragesEachSequence() {
        var pooling = MeanPooling(dim: 2)
        let x: [Float] = [1, 2, 3, 4, 5, 6]
        XCTAssertEqual(pooling.forward(x, layout: .packed(lengths: [2, 1])), [2, 3, 5, 6])
        XCTAssertEqual(pooling.backward([1, 1, 2, 2]), [0.5, 0.5, 0.5, 0.5, 2, 2])
        // Padding rows are ignored and get no gradient; an empty sequence pools to zeros.
        let padded = SequenceLayout.padded(sequenceLength: 2, lengths: [1, 2, 0])
        let paddedX: [Float] = [1, 2, 9, 9, 3, 4, 5, 6, 9, 9, 9, 9]
        XCTAssertEqual(pooling.forward(paddedX, layout: padded), [1, 2, 4, 5, 0, 0])
        XCTAssertEqual(pooling.backward([1, 2, 3, 4, 5, 6]), [1, 2, 0, 0, 1.5, 2, 1.5, 2, 0, 0, 0, 0])
    }

    func testMeanPoolingGradient() {
        let layout = SequenceLayout.packed(lengths: [3, 1, 4])
        let x = randomValues(layout.rowCount * 5, seed: 1)
        let probe = LinearProbe(count: layout.count * 5, seed: 2)
        var pooling = MeanPooling(dim: 5)
        _ = pooling.forward(x, layout: layout)
        let dx = pooling.backward(probe.weights)
        assertGradient("mean pooling", values: x, analytic: dx) { var copy = MeanPooling(dim: 5); return probe.loss(copy.forward($0, layout: layout)) }
    }

    func testL2NormalizationGivesUnitRows() {
        var normalization = L2Normalization(dim: 2)
        let y = normalization.forward([3, 4, 0, -2, 0, 0])
        XCTAssertEqual(y, [0.6, 0.8, 0, -1, 0, 0])
        // d y / d x for x = (3, 4): (I - y yᵀ) / 5.
        let dx = normalization.backward([1, 0, 0, 0, 0, 0])
        XCTAssertEqual(dx[0], (1 - 0.36) / 5, accuracy: 1e-6)
        XCTAssertEqual(dx[1], -0.48 / 5, accuracy: 1e-6)
    }

    func testL2NormalizationGradient() {
        let x = randomValues(4 * 6, seed: 3)
        let probe = LinearProbe(count: x.count, seed: 4)
        var normalization = L2Normalization(dim: 6)
        _ = normalization.forward(x)
        let dx = normalization.backward(probe.weights)
        assertGradient("l2 normalization", values: x, analytic: dx, epsilon: 1e-3) {
            var copy = L2Normalization(dim: 6)
            return probe.loss(copy.forward($0))
        }
    }
}
