import SeededRandom

/// Seeded initial values for parameters.
public enum Initializer {
    /// Xavier/Glorot uniform (Glorot & Bengio 2010): `U(-a, a)`, `a = sqrt(6 / (fanIn + fanOut))`.
    case xavierUniform(fanIn: Int, fanOut: Int)
    /// Xavier/Glorot normal: `N(0, 2 / (fanIn + fanOut))` (what the PyTorch SASRec uses everywhere).
    case xavierNormal(fanIn: Int, fanOut: Int)
    /// `N(0, standardDeviation²)`.
    case normal(standardDeviation: Float)
    /// Every value equal to `value` (zeros for biases, ones for LayerNorm gains).
    case constant(Float)

    /// `count` values drawn from `random`.
    public func values(count: Int, random: inout SplitMix64) -> [Float] {
        switch self {
        case .xavierUniform(let fanIn, let fanOut):
            let bound = (6 / Float(fanIn + fanOut)).squareRoot()
            return (0..<count).map { _ in Float(2 * random.nextUnit() - 1) * bound }
        case .xavierNormal(let fanIn, let fanOut):
            return Self.normal(standardDeviation: (2 / Float(fanIn + fanOut)).squareRoot()).values(count: count, random: &random)
        case .normal(let standardDeviation):
            return (0..<count).map { _ in Float(random.nextStandardNormal()) * standardDeviation }
        case .constant(let value):
            return [Float](repeating: value, count: count)
        }
    }
}
