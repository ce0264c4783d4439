import Foundation
import GradientTestSupport
import NeuralNet
import SeededRandom
import XCTest

/// The fast kernels of attention and the activations against plain loops: `SIMDMatrixProduct`,
/// `VectorMath.maskedScaledSoftmax`, `ScaledDotProductAttention` (forward and backward, every mask),
/// the vectorised activation layer and LayerNorm.
final class AttentionKernelTests: XCTestCase {
    func testMatrixProductMatchesPlainLoops() {
        var random = SplitMix64(seed: 70)
        for (m, n, k) in [(1, 1, 1), (4, 16, 8), (5, 23, 7), (9, 40, 64), (3, 8, 0), (7, 5, 13), (13, 33, 31)] {
            for transposed in [false, true] {
                for accumulate in [false, true] {
                    // A stored [m, k] (row stride k + 2) or, transposed, [k, m] (row stride m + 1).
                    let lda = transposed ? m + 1 : k + 2
                    let a = random.normals(count: max(1, (transposed ? k : m) * lda), std: 1)
                    let ldb = n + 3
                    let b = random.normals(count: max(1, k * ldb), std: 1)
                    let ldc = n + 1
                    let initial = random.normals(count: m * ldc, std: 1)
                    var c = initial
                    let (rowStride, columnStride) = transposed ? (1, lda) : (lda, 1)
                    a.withUnsafeBufferPointer { a in
                        b.withUnsafeBufferPointer { b in
                            c.withUnsafeMutableBufferPointer { c in
                                SIMDMatrixProduct.multiply(m: m, n: n, k: k, a: a.baseAddress!, aRowStride: rowStride,
                                                           aColumnStride: columnStride, b: b.baseAddress!, ldb: ldb,
                                                           c: c.baseAddress!, ldc: ldc, accumulate: accumulate)
                            }
                        }
                    }
                    for i in 0..<m {
                        for j in 0..<n {
                            var expected: Float = accumulate ? initial[i * ldc + j] : 0
                            for p in 0..<k { expected += a[i * rowStride + p * columnStride] * b[p * ldb + j] }
                            XCTAssertEqual(c[i * ldc + j], expected, accuracy: 1e-4, "m \(m) n \(n) k \(k) (\(i), \(j))")
                        }
                        // The padding column past n is untouched.
                        XCTAssertEqual(c[i * ldc + n], initial[i * ldc + n])
                    }
                }
            }
        }
    }

    func testMaskedScaledSoftmaxMatchesPlainSoftmax() {
        var random = SplitMix64(seed: 71)
        for (visible, count) in [(0, 5), (1, 1), (3, 9), (8, 8), (17, 30), (40, 41)] {
            let scores = random.normals(count: max(1, visible), std: 3)
            var p = [Float](repeating: .nan, count: count)
            let scale: Float = 0.37
            scores.withUnsafeBufferPointer { scores in
                p.withUnsafeMutableBufferPointer { p in
                    VectorMath.maskedScaledSoftmax(scores.baseAddress!, visible: visible, scale: scale, into: p.baseAddress!,
                                                   count: count)
                }
            }
            let maximum = scores[..<visible].map { $0 * scale }.max() ?? 0
            let exps = scores[..<visible].map { Foundation.exp(Double($0 * scale - maximum)) }
            let total = exps.reduce(0, +)
            XCTAssertEqual(p, exps.map { Float($0 / total) } + [Float](repeating: 0, count: count - visible), accuracy: 1e-6)
        }
    }

    /// Attention against `ReferenceAttention` with head widths that are and are not multiples of
    /// the SIMD width, under the causal mask, no mask, and a prefix mask, on padded layouts.
    func testAttentionMatchesReference() {
        var random = SplitMix64(seed: 72)
        let layout = SequenceLayout(rowCount: 40, starts: [0, 13, 20], lengths: [11, 0, 19])
        let memoryLayout = SequenceLayout(rowCount: 40, starts: [2, 15, 16], lengths: [9, 1, 23])
        let limits = (0..<layout.rowCount).map { _ in Int32(1 + random.nextIndex(below: 25)) }
        for (heads, headDim) in [(1, 16), (2, 3), (3, 24)] {
            let width = heads * headDim
            for mask in ["causal", "none", "prefix"] {
                let keyLayout = mask == "causal" ? layout : memoryLayout
                let keyLimits = mask == "prefix" ? limits : nil
                let q = random.normals(count: layout.rowCount * width, std: 1)
                let k = random.normals(count: keyLayout.rowCount * width, std: 1)
                let v = random.normals(count: keyLayout.rowCount * width, std: 1)
                let dOut = random.normals(count: layout.rowCount * width, std: 1)
                let k3 = k.map { 3 * $0 }
                let reference = ReferenceAttention(heads: heads, headDim: headDim, queryLayout: layout, keyLayout: keyLayout,
                                                   causal: mask == "causal", keyLimits: keyLimits)
                let (expectedOutput, expectedDQ, expectedDK, expectedDV) = reference.run(q: q, k: k, v: v, dOut: dOut)
                var attention = ScaledDotProductAttention(heads: heads, headDim: headDim, causal: mask == "causal")
                var output = [Float](repeating: 0, count: layout.rowCount * width)
                var dQ = [Float](repeating: 0, count: q.count)
                var dK = [Float](repeating: 0, count: k.count)
                var dV = [Float](repeating: 0, count: v.count)
                q.withUnsafeBufferPointer { q in
                    k.withUnsafeBufferPointer { k in
                        v.withUnsafeBufferPointer { v in
                            let (q, k, v) = (ScaledDotProductAttention.Operand(base: q.baseAddress!, stride: width),
                                             ScaledDotProductAttention.Operand(base: k.baseAddress!, stride: width),
                                             ScaledDotProductAttention.Operand(base: v.baseAddress!, stride: width))
                            // A first pass on other inputs leaves stale probabilities in the reused
                            // buffer; the checked pass below must not read any of them.
                            var stale = output
                            k3.withUnsafeBufferPointer { k3 in
                                stale.withUnsafeMutableBufferPointer { stale in
                                    attention.forward(query: q, key: .init(base: k3.baseAddress!, stride: width), value: v,
                                                      queryLayout: layout, keyLayout: keyLayout, keyLimits: keyLimits,
                                                      output: .init(base: stale.baseAddress!, stride: width))
                                }
                            }
                            output.withUnsafeMutableBufferPointer { output in
                                attention.forward(query: q, key: k, value: v, queryLayout: layout, keyLayout: keyLayout,
                                                  keyLimits: keyLimits, output: .init(base: output.baseAddress!, stride: width))
                            }
                            dOut.withUnsafeBufferPointer { dOut in
                                dQ.withUnsafeMutableBufferPointer { dQ in
                                    dK.withUnsafeMutableBufferPointer { dK in
                                        dV.withUnsafeMutableBufferPointer { dV in
                                            attention.backward(outputGradient: .init(base: dOut.baseAddress!, stride: width),
                                                               query: q, key: k, value: v,
                                                               queryGradient: .init(base: dQ.baseAddress!, stride: width),
                                                               keyGradient: .init(base: dK.baseAddress!, stride: width),
                                                               valueGradient: .init(base: dV.baseAddress!, stride: width))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                let label = "\(heads) x \(headDim), \(mask)"
                XCTAssertEqual(output, expectedOutput, accuracy: 1e-4, label)
                XCTAssertEqual(dQ, expectedDQ, accuracy: 1e-4, label)
                XCTAssertEqual(dK, expectedDK, accuracy: 1e-4, label)
                XCTAssertEqual(dV, expectedDV, accuracy: 1e-4, label)
            }
        }
    }

    func testVectorisedActivationsMatchScalarReference() {
        // 8 full vectors and a partial one, over the range where GELU bends and saturates.
        let x = (0..<67).map { Float($0 - 33) * 0.19 }
        let dy = randomValues(x.count, seed: 73)
        for function in ActivationFunction.allCases {
            var layer = Activation(function)
            let y = layer.forward(x)
            let dx = layer.backward(dy)
            XCTAssertEqual(y, x.map { function.value($0) }, accuracy: 3e-6, "\(function)")
            XCTAssertEqual(dx, zip(x, dy).map { function.derivative($0) * $1 }, accuracy: 1e-5, "\(function)")
        }
    }

    /// LayerNorm's interleaved, chunked rows give the bits of one plain loop per row, at a width
    /// with a partial SIMD column block, row counts that leave partial groups of four, and a size
    /// that runs in parallel chunks; no rows give no rows.
    func testLayerNormEqualsPlainRowLoopsBitForBit() {
        for (rows, dim) in [(0, 8), (1, 5), (7, 12), (1_027, 64)] {
            var layer = LayerNorm(name: "norm", dim: dim)
            layer.gain.value = randomValues(dim, seed: 74)
            layer.bias.value = randomValues(dim, seed: 75)
            layer.gain.gradient = randomValues(dim, seed: 76)
            layer.bias.gradient = randomValues(dim, seed: 77)
            let (g, b) = (layer.gain.value, layer.bias.value)
            var (dg, db) = (layer.gain.gradient, layer.bias.gradient)
            let x = randomValues(rows * dim, seed: 78, std: 3)
            let dy = randomValues(rows * dim, seed: 79)
            let y = layer.forward(x)
            let dx = layer.backward(dy)
            var (expectedY, expectedDX) = ([Float](repeating: 0, count: x.count), [Float](repeating: 0, count: x.count))
            for r in 0..<rows {
                let row = Array(x[r * dim..<(r + 1) * dim])
                var mean: Float = 0
                for v in row { mean += v }
                mean /= Float(dim)
                var variance: Float = 0
                for v in row { variance += (v - mean) * (v - mean) }
                let s = 1 / (variance / Float(dim) + layer.epsilon).squareRoot()
                let xHat = row.map { ($0 - mean) * s }
                var (meanG, meanGX): (Float, Float) = (0, 0)
                for j in 0..<dim {
                    let gHat = dy[r * dim + j] * g[j]
                    meanG += gHat
                    meanGX += gHat * xHat[j]
                    dg[j] += dy[r * dim + j] * xHat[j]
                    db[j] += dy[r * dim + j]
                }
                meanG /= Float(dim)
                meanGX /= Float(dim)
                for j in 0..<dim {
                    expectedY[r * dim + j] = xHat[j] * g[j] + b[j]
                    expectedDX[r * dim + j] = s * (dy[r * dim + j] * g[j] - meanG - xHat[j] * meanGX)
                }
            }
            let label = "\(rows) x \(dim)"
            XCTAssertEqual(y.map(\.bitPattern), expectedY.map(\.bitPattern), label)
            XCTAssertEqual(dx.map(\.bitPattern), expectedDX.map(\.bitPattern), label)
            XCTAssertEqual(layer.gain.gradient.map(\.bitPattern), dg.map(\.bitPattern), label)
            XCTAssertEqual(layer.bias.gradient.map(\.bitPattern), db.map(\.bitPattern), label)
        }
    }
}

/// Scaled dot-product attention in plain loops, forward and backward, for one set of inputs: the
/// reference `ScaledDotProductAttention` is checked against. Shapes as there (`[rows, heads·headDim]`
/// buffers with row stride `heads·headDim`); padding rows of the outputs stay zero.
struct ReferenceAttention {
    let heads: Int
    let headDim: Int
    let queryLayout: SequenceLayout
    let keyLayout: SequenceLayout
    let causal: Bool
    let keyLimits: [Int32]?

    /// Output and the gradients of q, k and v for the output gradient `dOut`.
    func run(q: [Float], k: [Float], v: [Float], dOut: [Float]) -> ([Float], [Float], [Float], [Float]) {
        let width = heads * headDim
        var output = [Float](repeating: 0, count: q.count)
        var dQ = [Float](repeating: 0, count: q.count)
        var dK = [Float](repeating: 0, count: k.count)
        var dV = [Float](repeating: 0, count: v.count)
        let scale = 1 / Float(headDim).squareRoot()
        for s in 0..<queryLayout.count {
            let (lk, kRow) = (keyLayout.lengths[s], keyLayout.starts[s])
            for i in 0..<queryLayout.lengths[s] {
                let row = queryLayout.starts[s] + i
                let visible = causal ? i + 1 : min(lk, keyLimits.map { Int($0[row]) } ?? lk)
                guard lk > 0, visible > 0 else { continue }
                for h in 0..<heads {
                    let c = h * headDim
                    func dot(_ x: [Float], _ xRow: Int, _ y: [Float], _ yRow: Int) -> Float {
                        (0..<headDim).reduce(0) { $0 + x[xRow * width + c + $1] * y[yRow * width + c + $1] }
                    }
                    let scores = (0..<visible).map { dot(q, row, k, kRow + $0) * scale }
                    let maximum = scores.max()!
                    let exps = scores.map { Foundation.exp($0 - maximum) }
                    let total = exps.reduce(0, +)
                    let p = exps.map { $0 / total }
                    let dP = (0..<visible).map { dot(dOut, row, v, kRow + $0) }
                    let centre = zip(p, dP).reduce(0) { $0 + $1.0 * $1.1 }
                    for j in 0..<visible {
                        let dS = scale * p[j] * (dP[j] - centre)
                        for d in 0..<headDim {
                            output[row * width + c + d] += p[j] * v[(kRow + j) * width + c + d]
                            dV[(kRow + j) * width + c + d] += p[j] * dOut[row * width + c + d]
                            dQ[row * width + c + d] += dS * k[(kRow + j) * width + c + d]
                            dK[(kRow + j) * width + c + d] += dS * q[row * width + c + d]
                        }
                    }
                }
            }
        }
        return (output, dQ, dK, dV)
    }
}
