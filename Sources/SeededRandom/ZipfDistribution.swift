import Foundation

/// Zipf-like ranks `0..<count` with `P(r) ∝ 1 / (r + 1)^exponent`, drawn by inverse transform over
/// the running sums of the weights (one binary search per draw): the popularity skew of the
/// synthetic data sets the benchmarks generate.
public struct ZipfDistribution: Sendable {
    /// `[count]` running sums of the unnormalised weights `1 / (r + 1)^exponent`.
    private let cumulative: [Double]

    /// The distribution over `count > 0` ranks.
    public init(count: Int, exponent: Double) {
        precondition(count > 0, "a Zipf distribution needs at least one rank")
        var total = 0.0
        cumulative = (1...count).map { rank in
            total += 1 / pow(Double(rank), exponent)
            return total
        }
    }

    /// The rank whose share of the total weight covers `fraction` (in `[0, 1)`): the first rank
    /// whose running sum exceeds `fraction x total`.
    public func rank(atFraction fraction: Double) -> Int {
        let draw = fraction * cumulative[cumulative.count - 1]
        var low = 0, high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > draw { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// One rank, from one uniform draw of `random`.
    public func sample(using random: inout SplitMix64) -> Int {
        rank(atFraction: random.nextUnit())
    }
}
