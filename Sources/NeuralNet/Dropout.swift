import SeededRandom

/// Inverted dropout (Srivastava et al. 2014): in training, each value is zeroed with probability
/// `rate` and the survivors are scaled by `1 / (1 - rate)`; at inference the layer is the identity.
///
/// Masks come from the layer's own `SplitMix64`, so a run with a fixed seed repeats exactly.
/// Any shape.
public struct Dropout {
    /// Probability of zeroing a value, in `[0, 1)`.
    public let rate: Float
    private var random: SplitMix64
    private var mask: [Float] = []

    /// A layer dropping with probability `rate`, masks drawn from a generator seeded by `seed`.
    public init(rate: Float, seed: UInt64) {
        precondition(rate >= 0 && rate < 1, "dropout rate must be in [0, 1)")
        self.rate = rate
        random = SplitMix64(seed: seed)
    }

    /// `x ⊙ mask` in training (a fresh mask each call), `x` otherwise.
    public mutating func forward(_ x: [Float], training: Bool) -> [Float] {
        guard training, rate > 0 else {
            mask = []
            return x
        }
        let keep = 1 / (1 - rate)
        let threshold = UInt32(Double(rate) * 0x1p32)
        let count = x.count
        // One draw gives two masks (low 32 bits first); eight at a time from four draws.
        mask = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            guard let m = buffer.baseAddress else { return }
            let (thresholds, keeps) = (SIMD8<UInt32>(repeating: threshold), SIMD8<Float>(repeating: keep))
            var i = 0
            while i + 8 <= count {
                let draws = SIMD4<UInt64>(random.next(), random.next(), random.next(), random.next())
                let bits = unsafeBitCast(draws, to: SIMD8<UInt32>.self)
                VectorMath.store(SIMD8<Float>().replacing(with: keeps, where: bits .>= thresholds), m + i)
                i += 8
            }
            while i < count {
                let bits = random.next()
                m[i] = UInt32(truncatingIfNeeded: bits) < threshold ? 0 : keep
                if i + 1 < count { m[i + 1] = UInt32(truncatingIfNeeded: bits >> 32) < threshold ? 0 : keep }
                i += 2
            }
            initialized = count
        }
        return VectorMath.product(x, mask)
    }

    /// dLoss/dx = dy ⊙ mask (the identity when the last forward did not drop).
    public mutating func backward(_ dy: [Float]) -> [Float] {
        guard !mask.isEmpty else { return dy }
        precondition(dy.count == mask.count, "gradient does not match the last forward")
        return VectorMath.product(dy, mask)
    }
}
