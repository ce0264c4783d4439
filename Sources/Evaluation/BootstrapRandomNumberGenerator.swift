/// SplitMix64 (Steele, Lea & Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014):
/// the seeded generator of the paired bootstrap, so a seed gives the same interval on every run.
struct BootstrapRandomNumberGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform index in `0..<count` by multiply-shift (Lemire, 2019), fixed so results do not
    /// depend on the standard library's `random(in:)`.
    mutating func nextIndex(below count: Int) -> Int {
        Int(UInt64(count).multipliedFullWidth(by: next()).high)
    }
}
