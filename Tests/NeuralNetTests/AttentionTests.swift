import GradientTestSupport
import NeuralNet
import SeededRandom
import XCTest

/// Gradients of self-attention, cross-attention and the transformer block, and the properties of
/// the causal and padding masks.
final class AttentionTests: XCTestCase {
    /// Two sequences of lengths 3 and 5 in a padded `[2, 5]` grid (rows 3 and 4 are padding).
    let padded = SequenceLayout.padded(sequenceLength: 5, lengths: [3, 5])

    func testSelfAttentionGradientsWithCausalAndPaddingMasks() {
        for causal in [true, false] {
            var random = SplitMix64(seed: 21)
            let initial = MultiHeadSelfAttention(name: "attention", dim: 8, heads: 2, causal: causal, random: &random)
            let x = randomValues(padded.rowCount * 8, seed: 22)
            let probe = LinearProbe(count: x.count, seed: 23)
            var layer = initial
            _ = layer.forward(x, layout: padded)
            let dx = layer.backward(probe.weights)
            let output = { (x: [Float]) -> [Float] in var copy = initial; return copy.forward(x, layout: self.padded) }
            assertGradient("self-attention input (causal \(causal))", values: x, analytic: dx) { probe.loss(output($0)) }
            assertParameterGradients(layer.parameters) { probe.loss(output(x)) }
            // Padding rows get no gradient.
            XCTAssertTrue(dx[3 * 8..<5 * 8].allSatisfy { $0 == 0 })
        }
    }

    func testCrossAttentionGradients() {
        var random = SplitMix64(seed: 24)
        let initial = CrossAttention(name: "cross", dim: 8, memoryDim: 6, heads: 2, random: &random)
        let memoryLayout = SequenceLayout.packed(lengths: [4, 2])
        let x = randomValues(padded.rowCount * 8, seed: 25)
        let memory = randomValues(memoryLayout.rowCount * 6, seed: 26)
        let probe = LinearProbe(count: x.count, seed: 27)
        var layer = initial
        _ = layer.forward(x, layout: padded, memory: memory, memoryLayout: memoryLayout)
        let (dx, dMemory) = layer.backward(probe.weights)
        let output = { (x: [Float], memory: [Float]) -> [Float] in
            var copy = initial
            return copy.forward(x, layout: self.padded, memory: memory, memoryLayout: memoryLayout)
        }
        assertGradient("cross-attention input", values: x, analytic: dx) { probe.loss(output($0, memory)) }
        assertGradient("cross-attention memory", values: memory, analytic: dMemory) { probe.loss(output(x, $0)) }
        assertParameterGradients(layer.parameters) { probe.loss(output(x, memory)) }
    }

    /// Two memory sequences (4 and 3 rows); the decoder's 2 + 3 query rows read prefixes of them.
    let prefixMemoryLayout = SequenceLayout.packed(lengths: [4, 3])
    let prefixQueryLayout = SequenceLayout.packed(lengths: [2, 3])
    let prefixLimits: [Int32] = [1, 4, 2, 2, 3]

    func testCrossAttentionGradientsWithPrefixMask() {
        var random = SplitMix64(seed: 40)
        let initial = CrossAttention(name: "cross", dim: 8, memoryDim: 8, heads: 2, random: &random)
        let x = randomValues(prefixQueryLayout.rowCount * 8, seed: 41)
        let memory = randomValues(prefixMemoryLayout.rowCount * 8, seed: 42)
        let probe = LinearProbe(count: x.count, seed: 43)
        var layer = initial
        _ = layer.forward(x, layout: prefixQueryLayout, memory: memory, memoryLayout: prefixMemoryLayout,
                          keyLimits: prefixLimits)
        let (dx, dMemory) = layer.backward(probe.weights)
        let output = { (x: [Float], memory: [Float]) -> [Float] in
            var copy = initial
            return copy.forward(x, layout: self.prefixQueryLayout, memory: memory, memoryLayout: self.prefixMemoryLayout,
                                keyLimits: self.prefixLimits)
        }
        assertGradient("masked cross-attention input", values: x, analytic: dx) { probe.loss(output($0, memory)) }
        assertGradient("masked cross-attention memory", values: memory, analytic: dMemory) { probe.loss(output(x, $0)) }
        assertParameterGradients(layer.parameters) { probe.loss(output(x, memory)) }
        // Memory row 3 of sequence 0 (row 3) is read by query row 1 only; row 6 (the last of
        // sequence 1) by query row 4 only; no row reads beyond its limit.
        XCTAssertTrue(dMemory[3 * 8..<4 * 8].contains { $0 != 0 })
    }

    func testPrefixMaskedRowsIgnoreLaterMemoryRows() {
        var random = SplitMix64(seed: 44)
        var layer = CrossAttention(name: "cross", dim: 8, memoryDim: 8, heads: 2, random: &random)
        let x = randomValues(prefixQueryLayout.rowCount * 8, seed: 45)
        var memory = randomValues(prefixMemoryLayout.rowCount * 8, seed: 46)
        let before = layer.forward(x, layout: prefixQueryLayout, memory: memory, memoryLayout: prefixMemoryLayout,
                                   keyLimits: prefixLimits)
        // Change memory rows 2 and 3 (sequence 0) and row 6 (sequence 1's last): only query rows
        // whose limit reaches them (rows 1 and 4) may change.
        let changedRows: [Int] = [2, 3, 6]
        for row in changedRows { for column in 0..<8 { memory[row * 8 + column] += 1 } }
        let after = layer.forward(x, layout: prefixQueryLayout, memory: memory, memoryLayout: prefixMemoryLayout,
                                  keyLimits: prefixLimits)
        for row in 0..<5 {
            let changed = (0..<8).contains { before[row * 8 + $0] != after[row * 8 + $0] }
            XCTAssertEqual(changed, [1, 4].contains(row), "row \(row)")
        }
    }

    func testDecoderBlockGradients() {
        var random = SplitMix64(seed: 47)
        let shape = TransformerBlock.Shape(dim: 8, heads: 2, hidden: 12, causal: true, activation: .gelu, dropoutRate: 0.2)
        let initial = TransformerDecoderBlock(name: "decoder", shape: shape, random: &random)
        // Query rows: two decoded sequences of 1 and 1 rows for memory 0, one of 3 rows for memory 1.
        let layout = SequenceLayout.packed(lengths: [1, 1, 3])
        let x = randomValues(layout.rowCount * 8, seed: 48)
        let memory = randomValues(prefixMemoryLayout.rowCount * 8, seed: 49)
        let probe = LinearProbe(count: x.count, seed: 50)
        var block = initial
        _ = block.forward(x, layout: layout, crossLayout: prefixQueryLayout, memory: memory,
                          memoryLayout: prefixMemoryLayout, keyLimits: prefixLimits, training: true)
        let (dx, dMemory) = block.backward(probe.weights)
        let output = { (x: [Float], memory: [Float]) -> [Float] in
            var copy = initial
            return copy.forward(x, layout: layout, crossLayout: self.prefixQueryLayout, memory: memory,
                                memoryLayout: self.prefixMemoryLayout, keyLimits: self.prefixLimits, training: true)
        }
        assertGradient("decoder block input", values: x, analytic: dx) { probe.loss(output($0, memory)) }
        assertGradient("decoder block memory", values: memory, analytic: dMemory) { probe.loss(output(x, $0)) }
        assertParameterGradients(block.parameters) { probe.loss(output(x, memory)) }
    }

    func testTransformerBlockAndEncoderGradients() {
        var random = SplitMix64(seed: 28)
        let shape = TransformerBlock.Shape(dim: 8, heads: 2, hidden: 12, causal: true, activation: .gelu, dropoutRate: 0.2)
        let initialBlock = TransformerBlock(name: "block", shape: shape, random: &random)
        let initialEncoder = TransformerEncoder(name: "encoder", count: 2, shape: shape, random: &random)
        let x = randomValues(padded.rowCount * 8, seed: 29)
        let probe = LinearProbe(count: x.count, seed: 30)

        var block = initialBlock
        _ = block.forward(x, layout: padded, training: true)
        let dxBlock = block.backward(probe.weights)
        let blockOutput = { (x: [Float]) -> [Float] in
            var copy = initialBlock
            return copy.forward(x, layout: self.padded, training: true)
        }
        assertGradient("block input", values: x, analytic: dxBlock) { probe.loss(blockOutput($0)) }
        assertParameterGradients(block.parameters) { probe.loss(blockOutput(x)) }

        var encoder = initialEncoder
        _ = encoder.forward(x, layout: padded, training: true)
        let dxEncoder = encoder.backward(probe.weights)
        let encoderOutput = { (x: [Float]) -> [Float] in
            var copy = initialEncoder
            return copy.forward(x, layout: self.padded, training: true)
        }
        assertGradient("encoder input", values: x, analytic: dxEncoder) { probe.loss(encoderOutput($0)) }
        assertParameterGradients(encoder.parameters) { probe.loss(encoderOutput(x)) }
    }

    func testCausalOutputAtPositionTIgnoresLaterInputs() {
        var random = SplitMix64(seed: 31)
        let shape = TransformerBlock.Shape(dim: 8, heads: 2, causal: true, dropoutRate: 0)
        let encoder = TransformerEncoder(name: "encoder", count: 2, shape: shape, random: &random)
        let layout = SequenceLayout.packed(lengths: [7])
        let x = randomValues(7 * 8, seed: 32)
        var reference = encoder
        let y = reference.forward(x, layout: layout, training: false)
        for t in 0..<6 {
            var changed = x
            for i in (t + 1) * 8..<changed.count { changed[i] += 1 }
            var copy = encoder
            let z = copy.forward(changed, layout: layout, training: false)
            XCTAssertEqual(Array(z[..<((t + 1) * 8)]), Array(y[..<((t + 1) * 8)]), accuracy: 1e-6)
            XCTAssertNotEqual(Array(z[((t + 1) * 8)...]), Array(y[((t + 1) * 8)...]))
        }
    }

    func testPaddingRowsNeverInfluenceRealPositionsAndPackedEqualsPadded() {
        var random = SplitMix64(seed: 33)
        let attention = MultiHeadSelfAttention(name: "attention", dim: 8, heads: 2, causal: false, random: &random)
        let x = randomValues(padded.rowCount * 8, seed: 34)
        var noisy = x
        for i in 3 * 8..<5 * 8 { noisy[i] = 100 }
        var a = attention, b = attention, c = attention
        let y = a.forward(x, layout: padded)
        let z = b.forward(noisy, layout: padded)
        XCTAssertEqual(Array(z[..<(3 * 8)]), Array(y[..<(3 * 8)]), accuracy: 1e-6)
        XCTAssertEqual(Array(z[(5 * 8)...]), Array(y[(5 * 8)...]), accuracy: 1e-6)
        // The same sequences packed without padding give the same outputs.
        let packed = SequenceLayout.packed(lengths: [3, 5])
        let packedInput = Array(x[..<(3 * 8)] + x[(5 * 8)...])
        let w = c.forward(packedInput, layout: packed)
        XCTAssertEqual(w, Array(y[..<(3 * 8)] + y[(5 * 8)...]), accuracy: 1e-6)
    }

    func testLayouts() {
        XCTAssertEqual(padded.starts, [0, 5])
        XCTAssertEqual(padded.positions, [0, 1, 2, -1, -1, 0, 1, 2, 3, 4])
        XCTAssertEqual(padded.lastRows, [2, 9])
        let packed = SequenceLayout.packed(lengths: [2, 0, 3])
        XCTAssertEqual(packed.rowCount, 5)
        XCTAssertEqual(packed.starts, [0, 2, 2])
        XCTAssertEqual(packed.positionCount, 5)
    }
}
