extension EvaluationResult {
    /// The mean of per-case `metric` with its Student-t confidence interval; nil for an unknown metric.
    public func meanEstimate(of metric: String, confidence: Double = 0.95) -> MeanEstimate? {
        perCaseMetrics[metric].map { MeanEstimate($0, confidence: confidence) }
    }

    /// Paired t-test of this result's per-case `metric` against `other`'s, which must come from the
    /// same cases in the same order (differences this minus other).
    public func pairedTTest(against other: EvaluationResult, metric: String, confidence: Double = 0.95) -> PairedTTest {
        let (own, theirs) = pairedValues(with: other, metric: metric)
        return PairedTTest(own, theirs, confidence: confidence)
    }

    /// Seeded paired bootstrap of this result's per-case `metric` against `other`'s (same cases, same
    /// order; differences this minus other).
    public func pairedBootstrap(against other: EvaluationResult, metric: String, resamples: Int = 2_000,
                                confidence: Double = 0.95, seed: UInt64 = 0) -> PairedBootstrap {
        let (own, theirs) = pairedValues(with: other, metric: metric)
        return PairedBootstrap(own, theirs, resamples: resamples, confidence: confidence, seed: seed)
    }

    private func pairedValues(with other: EvaluationResult, metric: String) -> ([Double], [Double]) {
        precondition(users == other.users, "paired tests need results on the same cases in the same order")
        guard let own = perCaseMetrics[metric], let theirs = other.perCaseMetrics[metric] else {
            preconditionFailure("unknown metric \(metric)")
        }
        return (own, theirs)
    }
}
