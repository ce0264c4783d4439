import Foundation

/// Elementwise kernels on contiguous `Float` buffers with `SIMD8<Float>`, used by the layers and
/// losses: sums for residual connections, a vectorised `exp`, and an in-place row softmax.
public enum VectorMath {
    /// `a + b` elementwise (`a.count == b.count`).
    public static func sum(_ a: [Float], _ b: [Float]) -> [Float] {
        elementwise(a, b) { $0 + $1 } _: { $0 + $1 }
    }

    /// `a ⊙ b` elementwise (`a.count == b.count`).
    public static func product(_ a: [Float], _ b: [Float]) -> [Float] {
        elementwise(a, b) { $0 * $1 } _: { $0 * $1 }
    }

    /// `[f(a[i], b[i])]` in one pass, eight lanes at a time (`vector`) and `scalar` for the tail.
    @inline(__always)
    private static func elementwise(_ a: [Float], _ b: [Float], _ vector: (SIMD8<Float>, SIMD8<Float>) -> SIMD8<Float>,
                                    _ scalar: (Float, Float) -> Float) -> [Float] {
        precondition(a.count == b.count, "combining vectors of lengths \(a.count) and \(b.count)")
        return [Float](unsafeUninitializedCapacity: a.count) { result, initialized in
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    guard let pa = a.baseAddress, let pb = b.baseAddress, let pr = result.baseAddress else { return }
                    var i = 0
                    while i + 8 <= a.count {
                        store(vector(load(pa + i), load(pb + i)), pr + i)
                        i += 8
                    }
                    while i < a.count {
                        pr[i] = scalar(pa[i], pb[i])
                        i += 1
                    }
                }
            }
            initialized = a.count
        }
    }

    /// `y += x` elementwise (`x.count == y.count`).
    public static func add(_ x: [Float], into y: inout [Float]) {
        precondition(x.count == y.count, "adding vectors of lengths \(x.count) and \(y.count)")
        x.withUnsafeBufferPointer { x in
            y.withUnsafeMutableBufferPointer { y in
                guard let px = x.baseAddress, let py = y.baseAddress else { return }
                var i = 0
                while i + 8 <= x.count {
                    store(load(px + i) + load(py + i), py + i)
                    i += 8
                }
                while i < x.count {
                    py[i] += px[i]
                    i += 1
                }
            }
        }
    }

    /// `eˣ` for eight lanes (Cephes `expf`: range reduction by ln 2 in two parts and a degree-6
    /// polynomial; relative error about 2e-7 on `[-87, 88]`; inputs are clamped to that range).
    @inline(__always)
    public static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let low = SIMD8<Float>(repeating: -87.3), high = SIMD8<Float>(repeating: 88.3)
        let clamped = x.replacing(with: low, where: x .< low).replacing(with: high, where: x .> high)
        // Adding 1.5·2²³ rounds to the nearest integer and leaves it in the low mantissa bits.
        let shifted = clamped * 1.442_695_04 + roundingMagic
        let n = shifted - roundingMagic
        let r = clamped - n * 0.693_359_375 + n * 2.121_944_4e-4
        var p = SIMD8<Float>(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_59e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_12e-1
        let polynomial = p * r * r + r + 1
        let integer = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000
        let exponent = (integer &+ 127) &<< 23
        return polynomial * unsafeBitCast(exponent, to: SIMD8<Float>.self)
    }

    private static let roundingMagic = SIMD8<Float>(repeating: 12_582_912)

    /// The largest of `values[0..<count]`, eight lanes at a time (NaN entries are passed over;
    /// -infinity when there are none).
    static func largest(_ values: UnsafePointer<Float>, count: Int) -> Float {
        var maxVector = SIMD8<Float>(repeating: -.infinity)
        var i = 0
        while i + 8 <= count {
            let value = load(values + i)
            maxVector.replace(with: value, where: value .> maxVector)
            i += 8
        }
        var maximum = maxVector.max()
        while i < count {
            maximum = Swift.max(maximum, values[i])
            i += 1
        }
        return maximum
    }

    /// Replaces `row[0..<count]` by `factor` times its softmax, `factor · exp(x - max) / Σ exp(x - max)`;
    /// returns `log Σ exp(x)` (the log-partition, for cross-entropy losses). `count > 0`.
    @discardableResult
    public static func softmaxInPlace(_ row: UnsafeMutablePointer<Float>, count: Int, scaledBy factor: Float = 1) -> Float {
        let maximum = largest(row, count: count)
        var sumVector = SIMD8<Float>()
        let shift = SIMD8<Float>(repeating: maximum)
        var i = 0
        while i + 8 <= count {
            let e = exp(load(row + i) - shift)
            store(e, row + i)
            sumVector += e
            i += 8
        }
        var total = sumVector.sum()
        while i < count {
            let e = exp(SIMD8<Float>(repeating: row[i] - maximum))[0]
            row[i] = e
            total += e
            i += 1
        }
        scale(row, count: count, by: factor / total)
        return maximum + Float(Foundation.log(Double(total)))
    }

    /// One attention row's scaling, mask and softmax: `p[j] = softmax(scale · scores[0..<visible])[j]`
    /// for `j < visible` and `p[j] = 0` for `visible <= j < count` (the masked keys). `scale > 0`;
    /// `scores` (at least `visible` values) and `p` (`count` values) must not overlap.
    public static func maskedScaledSoftmax(_ scores: UnsafePointer<Float>, visible: Int, scale: Float,
                                           into p: UnsafeMutablePointer<Float>, count: Int) {
        if visible > 0 {
            let maximum = largest(scores, count: visible)
            // scale > 0, so the largest scaled score is scale · maximum.
            let factor = SIMD8<Float>(repeating: scale), shift = SIMD8<Float>(repeating: scale * maximum)
            var sumVector = SIMD8<Float>()
            var i = 0
            while i + 8 <= visible {
                let e = exp(load(scores + i) * factor - shift)
                store(e, p + i)
                sumVector += e
                i += 8
            }
            var total = sumVector.sum()
            while i < visible {
                let e = exp(SIMD8<Float>(repeating: scores[i] * scale - scale * maximum))[0]
                p[i] = e
                total += e
                i += 1
            }
            VectorMath.scale(p, count: visible, by: 1 / total)
        }
        if count > visible { (p + visible).update(repeating: 0, count: count - visible) }
    }

    /// `row[0..<count] *= factor`.
    public static func scale(_ row: UnsafeMutablePointer<Float>, count: Int, by factor: Float) {
        let vector = SIMD8<Float>(repeating: factor)
        var i = 0
        while i + 8 <= count {
            store(load(row + i) * vector, row + i)
            i += 8
        }
        while i < count {
            row[i] *= factor
            i += 1
        }
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    static func load(_ p: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    static func store(_ value: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: value, as: SIMD8<Float>.self)
    }
}
