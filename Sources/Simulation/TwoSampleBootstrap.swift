import Evaluation
import SeededRandom

/// The seeded two-sample bootstrap of `mean(a) − mean(b)` for independent groups (Efron &
/// Tibshirani, "An Introduction to the Bootstrap", 1993, percentile interval): each group is
/// resampled with replacement on its own. Used for skewed, zero-inflated per-user metrics (click
/// NDCG) where the t interval's normality is doubtful.
public struct TwoSampleBootstrap: Sendable {
    /// `mean(a) − mean(b)` over the original values.
    public let difference: Double
    /// Percentile interval of the resampled differences.
    public let confidenceInterval: ConfidenceInterval
    /// Two-sided p-value: `2 · min(share of resampled differences <= 0, share >= 0)`, at most 1
    /// (the interval-inversion p-value of the percentile bootstrap).
    public let pValue: Double

    /// Bootstraps `a` against `b` (neither empty) with `resamples` resamples from `seed`.
    public init(_ a: [Double], _ b: [Double], resamples: Int = 2_000, confidence: Double = 0.95, seed: UInt64 = 0) {
        precondition(!a.isEmpty && !b.isEmpty, "the bootstrap needs values in both groups")
        precondition(resamples > 0, "resamples must be positive")
        var random = SplitMix64(seed: seed, stream: 0xB007)
        func resampledMean(_ values: [Double]) -> Double {
            var sum = 0.0
            for _ in values.indices { sum += values[random.nextIndex(below: values.count)] }
            return sum / Double(values.count)
        }
        let differences = (0..<resamples).map { _ in resampledMean(a) - resampledMean(b) }.sorted()
        difference = a.reduce(0, +) / Double(a.count) - b.reduce(0, +) / Double(b.count)
        func percentile(_ fraction: Double) -> Double {
            let position = fraction * Double(differences.count - 1)
            let below = Int(position.rounded(.down)), above = min(Int(position.rounded(.down)) + 1, differences.count - 1)
            return differences[below] + (position - Double(below)) * (differences[above] - differences[below])
        }
        confidenceInterval = ConfidenceInterval(lower: percentile((1 - confidence) / 2),
                                                upper: percentile((1 + confidence) / 2), confidence: confidence)
        let atOrBelow = differences.lazy.filter { $0 <= 0 }.count, atOrAbove = differences.lazy.filter { $0 >= 0 }.count
        pValue = min(1, 2 * Double(min(atOrBelow, atOrAbove)) / Double(resamples))
    }
}
