import Foundation

/// SplitMix64 (Steele, Lea & Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014):
/// the one seeded generator of llmrec. Every random choice (initial factors, bootstrap resamples,
/// synthetic data, simulated clicks, test inputs) draws from it, so a seed gives the same numbers on
/// every run and machine; the helpers below avoid the standard library's unspecified algorithms.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose whole future output is fixed by `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// An independent generator for the decision at `coordinates` (a run, a user, a purpose ...)
    /// under `seed`: the same seed and coordinates always give the same stream, whatever order the
    /// decisions are taken in.
    public init(seed: UInt64, stream coordinates: UInt64...) {
        var key = Self.mix(seed)
        for coordinate in coordinates { key = Self.mix(key ^ Self.mix(coordinate &+ 0x632B_E59B_D9B4_E019)) }
        state = key
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// SplitMix64's finaliser: a stable, well-mixed 64-bit hash of `value`.
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform index in `0..<count` by multiply-shift (Lemire 2019).
    public mutating func nextIndex(below count: Int) -> Int {
        precondition(count > 0, "nextIndex(below:) needs a positive count")
        return Int(UInt64(count).multipliedFullWidth(by: next()).high)
    }

    /// A uniform double in `[0, 1)` with 53 random bits.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// One draw from N(0, 1) by the Box-Muller transform.
    public mutating func nextStandardNormal() -> Double {
        let u1 = 1 - nextUnit()  // in (0, 1]: log is finite
        let u2 = nextUnit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// `count` independent draws from N(0, std²), `[count]`.
    public mutating func normals(count: Int, std: Float) -> [Float] {
        (0..<count).map { _ in std * Float(nextStandardNormal()) }
    }
}
