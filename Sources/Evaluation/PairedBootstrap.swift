import SeededRandom
/// The seeded paired bootstrap of the mean difference between two models on the same cases
/// (Efron & Tibshirani, "An Introduction to the Bootstrap", 1993, percentile interval): cases are
/// resampled with replacement, keeping each case's pair together.
public struct PairedBootstrap: Sendable {
    /// `mean(a - b)` over the original cases.
    public let meanDifference: Double
    /// Percentile interval of the resampled mean differences.
    public let confidenceInterval: ConfidenceInterval
    /// Two-sided p-value: `2 · min(share of resampled means <= 0, share >= 0)`, at most 1.
    public let pValue: Double
    /// Number of resamples drawn.
    public let resamples: Int

    /// Bootstraps `a - b`, aligned case by case (same length, not empty), with `resamples` resamples
    /// (default 2,000) from `seed`: the same inputs and seed give the same result.
    public init(_ a: [Double], _ b: [Double], resamples: Int = 2_000, confidence: Double = 0.95, seed: UInt64 = 0) {
        precondition(a.count == b.count, "paired samples must have the same length")
        precondition(!a.isEmpty, "the bootstrap needs at least one case")
        precondition(resamples > 0, "resamples must be positive")
        precondition(confidence > 0 && confidence < 1, "confidence must be in (0, 1)")
        let differences = zip(a, b).map { $0 - $1 }
        var generator = SplitMix64(seed: seed)
        let resampledMeans = (0..<resamples).map { _ in
            var sum = 0.0
            for _ in differences.indices { sum += differences[generator.nextIndex(below: differences.count)] }
            return sum / Double(differences.count)
        }.sorted()
        meanDifference = differences.reduce(0, +) / Double(differences.count)
        confidenceInterval = ConfidenceInterval(
            lower: Self.percentile(resampledMeans, (1 - confidence) / 2),
            upper: Self.percentile(resampledMeans, (1 + confidence) / 2),
            confidence: confidence)
        let atOrBelowZero = resampledMeans.lazy.filter { $0 <= 0 }.count
        let atOrAboveZero = resampledMeans.lazy.filter { $0 >= 0 }.count
        pValue = min(1, 2 * Double(min(atOrBelowZero, atOrAboveZero)) / Double(resamples))
        self.resamples = resamples
    }

    /// The `fraction` quantile of ascending `sorted`, interpolating linearly between order statistics.
    private static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        let position = fraction * Double(sorted.count - 1)
        let below = Int(position.rounded(.down))
        let above = min(below + 1, sorted.count - 1)
        return sorted[below] + (position - Double(below)) * (sorted[above] - sorted[below])
    }
}
