import Foundation

/// SplitMix64 (Steele, Lea, Flood 2014) with Box-Muller normals: the seeded source of initial
/// latent factors.
struct FactorInitRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `count` independent draws from N(0, std²).
    mutating func normals(count: Int, std: Float) -> [Float] {
        (0..<count).map { _ in
            let u1 = Double.random(in: Double.ulpOfOne..<1, using: &self)
            let u2 = Double.random(in: 0..<1, using: &self)
            return std * Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
        }
    }
}
