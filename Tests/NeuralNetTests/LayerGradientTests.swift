import GradientTestSupport
import NeuralNet
import SeededRandom
import XCTest

/// Finite-difference checks of every layer's input and parameter gradients (central differences,
/// `GradientCheck`), on small random shapes.
final class LayerGradientTests: XCTestCase {
    func testLinear() {
        var random = SplitMix64(seed: 1)
        let initial = Linear(name: "linear", inputSize: 5, outputSize: 3, random: &random)
        let x = randomValues(4 * 5, seed: 2)
        let probe = LinearProbe(count: 4 * 3, seed: 3)
        var layer = initial
        _ = layer.forward(x)
        let dx = layer.backward(probe.weights)
        let output = { (x: [Float]) -> [Float] in var copy = initial; return copy.forward(x) }
        assertGradient("linear input", values: x, analytic: dx) { probe.loss(output($0)) }
        assertParameterGradients(layer.parameters) { probe.loss(output(x)) }
    }

    /// Enough rows for the chunked path (several single-threaded products, chunk-ordered gradient
    /// sums), checked against plain loops.
    func testLinearOverManyRowsMatchesPlainLoops() {
        var random = SplitMix64(seed: 31)
        let (rows, inputSize, outputSize) = (1_100, 13, 7)
        var layer = Linear(name: "linear", inputSize: inputSize, outputSize: outputSize, random: &random)
        layer.bias.value = randomValues(outputSize, seed: 32)
        layer.weight.gradient = randomValues(outputSize * inputSize, seed: 33)
        layer.bias.gradient = randomValues(outputSize, seed: 34)
        let (startW, startB) = (layer.weight.gradient, layer.bias.gradient)
        let x = randomValues(rows * inputSize, seed: 35)
        let dy = randomValues(rows * outputSize, seed: 36)
        let y = layer.forward(x)
        let dx = layer.backward(dy)
        let w = layer.weight.value
        for r in 0..<rows {
            for o in 0..<outputSize {
                var sum = Double(layer.bias.value[o])
                for i in 0..<inputSize { sum += Double(x[r * inputSize + i]) * Double(w[o * inputSize + i]) }
                XCTAssertEqual(y[r * outputSize + o], Float(sum), accuracy: 1e-4)
            }
            for i in 0..<inputSize {
                var sum = 0.0
                for o in 0..<outputSize { sum += Double(dy[r * outputSize + o]) * Double(w[o * inputSize + i]) }
                XCTAssertEqual(dx[r * inputSize + i], Float(sum), accuracy: 1e-4)
            }
        }
        for o in 0..<outputSize {
            var biasSum = Double(startB[o])
            for r in 0..<rows { biasSum += Double(dy[r * outputSize + o]) }
            XCTAssertEqual(layer.bias.gradient[o], Float(biasSum), accuracy: 2e-3)
            for i in 0..<inputSize {
                var sum = Double(startW[o * inputSize + i])
                for r in 0..<rows { sum += Double(dy[r * outputSize + o]) * Double(x[r * inputSize + i]) }
                XCTAssertEqual(layer.weight.gradient[o * inputSize + i], Float(sum), accuracy: 2e-3)
            }
        }
        // A second backward accumulates again, the same amounts.
        let once = layer.weight.gradient
        _ = layer.forward(x)
        _ = layer.backward(dy)
        for e in 0..<once.count {
            XCTAssertEqual(layer.weight.gradient[e] - once[e], once[e] - startW[e], accuracy: 2e-3)
        }
    }

    func testEmbeddingTouchesOnlyTheRowsUsed() {
        var random = SplitMix64(seed: 4)
        let initial = Embedding(name: "items", count: 6, dim: 4, scale: 2, initializer: .normal(standardDeviation: 1),
                                random: &random)
        let ids: [Int32] = [1, 3, 1, 5]
        let probe = LinearProbe(count: ids.count * 4, seed: 5)
        var layer = initial
        _ = layer.forward(ids)
        layer.backward(probe.weights)
        for row in [0, 2, 4] { XCTAssertEqual(Array(layer.table.gradient[row * 4..<(row + 1) * 4]), [0, 0, 0, 0]) }
        assertParameterGradients(layer.parameters) { var copy = initial; return probe.loss(copy.forward(ids)) }
    }

    func testPositionalEmbedding() {
        var random = SplitMix64(seed: 6)
        let initial = PositionalEmbedding(name: "positions", maxLength: 4, dim: 3, initializer: .normal(standardDeviation: 1),
                                          random: &random)
        let layout = SequenceLayout.padded(sequenceLength: 4, lengths: [2, 4])
        let x = randomValues(layout.rowCount * 3, seed: 7)
        let probe = LinearProbe(count: x.count, seed: 8)
        var layer = initial
        _ = layer.forward(x, layout: layout)
        layer.backward(probe.weights)
        assertParameterGradients(layer.parameters) { var copy = initial; return probe.loss(copy.forward(x, layout: layout)) }
        // Padding rows pass through unchanged.
        var copy = initial
        let y = copy.forward(x, layout: layout)
        XCTAssertEqual(Array(y[2 * 3..<4 * 3]), Array(x[2 * 3..<4 * 3]))
    }

    func testLayerNorm() {
        let initial = LayerNorm(name: "norm", dim: 6)
        initial.gain.value = randomValues(6, seed: 9)
        initial.bias.value = randomValues(6, seed: 10)
        let x = randomValues(3 * 6, seed: 11, std: 2)
        let probe = LinearProbe(count: x.count, seed: 12)
        var layer = initial
        _ = layer.forward(x)
        let dx = layer.backward(probe.weights)
        let output = { (x: [Float]) -> [Float] in var copy = initial; return copy.forward(x) }
        assertGradient("layer norm input", values: x, analytic: dx) { probe.loss(output($0)) }
        assertParameterGradients(layer.parameters) { probe.loss(output(x)) }
    }

    func testActivations() {
        // Inputs kept away from ReLU's kink at 0.
        let x = randomValues(24, seed: 13, std: 2).map { abs($0) < 0.05 ? $0 + 0.1 : $0 }
        let probe = LinearProbe(count: x.count, seed: 14)
        for function in ActivationFunction.allCases {
            var layer = Activation(function)
            _ = layer.forward(x)
            let dx = layer.backward(probe.weights)
            assertGradient("\(function)", values: x, analytic: dx, epsilon: 1e-3) {
                var copy = Activation(function)
                return probe.loss(copy.forward($0))
            }
        }
        var gelu = Activation(.gelu)
        XCTAssertEqual(gelu.forward([0, 1, -1]), [0, 0.841_192, -0.158_808], accuracy: 1e-5)
    }

    func testDropoutScalesSurvivorsAndIsTheIdentityAtInference() {
        let initial = Dropout(rate: 0.25, seed: 15)
        let x = randomValues(4000, seed: 16)
        var layer = initial
        let y = layer.forward(x, training: true)
        let kept = zip(x, y).filter { $1 != 0 }
        XCTAssertEqual(Double(kept.count) / Double(x.count), 0.75, accuracy: 0.03)
        for (input, output) in kept { XCTAssertEqual(output, input / 0.75, accuracy: 1e-6) }
        let probe = LinearProbe(count: x.count, seed: 17)
        let dx = layer.backward(probe.weights)
        assertGradient("dropout input", values: Array(x.prefix(64)), analytic: Array(dx.prefix(64))) { head in
            var copy = initial
            return probe.loss(copy.forward(head + x.dropFirst(64), training: true))
        }
        var inference = initial
        XCTAssertEqual(inference.forward(x, training: false), x)
    }

    func testFeedForward() {
        var random = SplitMix64(seed: 18)
        let initial = FeedForward(name: "ffn", dim: 4, hidden: 6, activation: .gelu, dropoutRate: 0.3, random: &random)
        let x = randomValues(3 * 4, seed: 19)
        let probe = LinearProbe(count: x.count, seed: 20)
        var layer = initial
        _ = layer.forward(x, training: true)
        let dx = layer.backward(probe.weights)
        let output = { (x: [Float]) -> [Float] in var copy = initial; return copy.forward(x, training: true) }
        assertGradient("feed-forward input", values: x, analytic: dx) { probe.loss(output($0)) }
        assertParameterGradients(layer.parameters) { probe.loss(output(x)) }
    }
}

/// Elementwise `XCTAssertEqual` with an accuracy.
func XCTAssertEqual(_ a: [Float], _ b: [Float], accuracy: Float, _ message: String = "", file: StaticString = #filePath,
                    line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, message, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, message, file: file, line: line) }
}
