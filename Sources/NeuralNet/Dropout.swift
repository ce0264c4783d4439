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
        mask = [Float](unsafeUninitializedCapacity: x.count) { buffer, initialized in
            var i = 0
            while i < x.count {
                let bits = random.next()
                buffer[i] = UInt32(truncatingIfNeeded: bits) < threshold ? 0 : keep
                if i + 1 < x.count { buffer[i + 1] = UInt32(truncatingIfNeeded: bits >> 32) < threshold ? 0 : keep }
                i += 2
            }
            initialized = x.count
        }
        return multiply(x, mask)
    }

    /// dLoss/dx = dy ⊙ mask (the identity when the last forward did not drop).
    public mutating func backward(_ dy: [Float]) -> [Float] {
        guard !mask.isEmpty else { return dy }
        precondition(dy.count == mask.count, "gradient does not match the last forward")
        return multiply(dy, mask)
    }

    private func multiply(_ x: [Float], _ mask: [Float]) -> [Float] {
        [Float](unsafeUninitializedCapacity: x.count) { buffer, initialized in
            for i in 0..<x.count { buffer[i] = x[i] * mask[i] }
            initialized = x.count
        }
    }
}
