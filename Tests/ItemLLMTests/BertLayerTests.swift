import GradientTestSupport
import Foundation
import ItemLLM
import NeuralNet
import SeededRandom
import XCTest

final class BertLayerTests: XCTestCase {
    /// A small layer (dim 8, 2 heads, FFN 16) with random biases and LayerNorm parameters, so
    /// every gradient is non-trivial.
    private func smallLayer(dropoutRate: Float = 0, seed: UInt64 = 1) -> BertLayer {
        var random = SplitMix64(seed: seed)
        let layer = BertLayer(name: "layer", dim: 8, heads: 2, intermediateSize: 16, epsilon: 1e-5,
                              dropoutRate: dropoutRate, random: &random)
        for parameter in layer.parameters where parameter.shape.count == 1 {
            let isGain = parameter.name.hasSuffix("Norm.weight")
            parameter.value = random.normals(count: parameter.count, std: 0.5).map { isGain ? 1 + $0 : $0 }
        }
        return layer
    }

    func testGradientsOnTwoPackedSequences() {
        let initial = smallLayer()
        let layout = SequenceLayout.packed(lengths: [3, 5])
        let x = randomValues(layout.rowCount * 8, seed: 2)
        let probe = LinearProbe(count: x.count, seed: 3)
        var layer = initial
        _ = layer.forward(x, layout: layout, training: false)
        let dx = layer.backward(probe.weights)
        let output = { (x: [Float]) -> [Float] in var copy = initial; return copy.forward(x, layout: layout, training: false) }
        assertGradient("bert layer input", values: x, analytic: dx) { probe.loss(output($0)) }
        XCTAssertEqual(layer.parameters.count, 12)
        assertParameterGradients(layer.parameters) { probe.loss(output(x)) }
    }

    func testGradientsWithDropoutInTraining() {
        let initial = smallLayer(dropoutRate: 0.3, seed: 4)
        let layout = SequenceLayout.packed(lengths: [4, 2])
        let x = randomValues(layout.rowCount * 8, seed: 5)
        let probe = LinearProbe(count: x.count, seed: 6)
        var layer = initial
        let y = layer.forward(x, layout: layout, training: true)
        var inference = initial
        XCTAssertNotEqual(y, inference.forward(x, layout: layout, training: false), "dropout changes the training output")
        let dx = layer.backward(probe.weights)
        // Copies of `initial` draw the same dropout masks.
        let output = { (x: [Float]) -> [Float] in var copy = initial; return copy.forward(x, layout: layout, training: true) }
        assertGradient("bert layer input (dropout)", values: x, analytic: dx) { probe.loss(output($0)) }
        assertParameterGradients(layer.parameters) { probe.loss(output(x)) }
    }

    func testPackedSequencesDoNotSeeEachOther() {
        var layer = smallLayer(seed: 7)
        let a = randomValues(3 * 8, seed: 8), b = randomValues(5 * 8, seed: 9)
        let together = layer.forward(a + b, layout: .packed(lengths: [3, 5]), training: false)
        let alone = layer.forward(a, layout: .packed(lengths: [3]), training: false)
            + layer.forward(b, layout: .packed(lengths: [5]), training: false)
        XCTAssertEqual(together.count, alone.count)
        for (u, v) in zip(together, alone) { XCTAssertEqual(u, v, accuracy: 1e-5) }
    }

    func testDeepCopyOwnsItsParameters() {
        let layer = smallLayer(seed: 10)
        let copy = layer.deepCopy()
        for (original, copied) in zip(layer.parameters, copy.parameters) {
            XCTAssertFalse(original === copied)
            XCTAssertEqual(original.value, copied.value)
            XCTAssertEqual(original.name, copied.name)
        }
        copy.parameters[0].value[0] += 1
        XCTAssertNotEqual(layer.parameters[0].value[0], copy.parameters[0].value[0])
    }

    func testExactGELUMatchesErf() {
        // The vectorised rational erf against libm's, and GELU at known points.
        var maxError: Float = 0
        var x: Float = -7
        while x <= 7 {
            maxError = max(maxError, abs(ActivationFunction.erf(SIMD8(repeating: x))[0] - Foundation.erf(x)))
            x += 0.001
        }
        XCTAssertLessThan(maxError, 1e-6)
        var gelu = Activation(.geluErf)
        let values = gelu.forward([0, 1, -1, 2, -3, 10, -10, 0.5, 0.25])
        let expected: [Float] = [0, 0.841_344_7, -0.158_655_3, 1.954_499_7, -0.004_049_7, 10, 0, 0.345_731_2, 0.149_676_6]
        for (value, want) in zip(values, expected) { XCTAssertEqual(value, want, accuracy: 2e-6) }
        // The vectorised path (length not a multiple of 8, above the parallel threshold) equals the scalar one.
        let long = randomValues(70_001, seed: 11, std: 3)
        let vectorised = gelu.forward(long)
        for (input, output) in zip(long, vectorised) {
            XCTAssertEqual(output, ActivationFunction.geluErf.value(input), accuracy: 3e-6)
        }
        let dy = randomValues(long.count, seed: 12)
        let dx = gelu.backward(dy)
        for i in stride(from: 0, to: long.count, by: 7) {
            XCTAssertEqual(dx[i], dy[i] * ActivationFunction.geluErf.derivative(long[i]), accuracy: 1e-5)
        }
    }
}
