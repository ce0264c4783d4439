/// The simulator's seeded generator: SplitMix64 (Steele, Lea & Flood, "Fast splittable
/// pseudorandom number generators", OOPSLA 2014).
///
/// Every random decision of a simulation (which users are sampled, who picks first in an
/// interleaving round, which positions a user examines and clicks) draws from a stream derived from
/// the run's seed and the decision's coordinates with `stream(_:)`, so results depend only on the
/// seed, never on the order in which users are processed or on the standard library's generator.
public struct SimulationRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator starting from `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// An independent generator for the decision at `coordinates` (a run, a user, a purpose ...)
    /// under `seed`: the same seed and coordinates always give the same stream.
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

    /// A uniform `Double` in `[0, 1)` from the top 53 bits.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A uniform index in `0..<count` by multiply-shift (Lemire, 2019).
    public mutating func nextIndex(below count: Int) -> Int {
        Int(UInt64(count).multipliedFullWidth(by: next()).high)
    }

    /// SplitMix64's finaliser: a stable, well-mixed 64-bit hash of `value` (the A/B split's hash).
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
