import Foundation

extension EvaluationReport {
    /// The two reports' per-user test values of `metric` for the users both hold, in ascending user
    /// order; nil when either report lacks the metric.
    public func pairedTestValues(with other: EvaluationReport, metric: String) -> (own: [Double], other: [Double])? {
        guard let own = perUserTest.values[metric], let theirs = other.perUserTest.values[metric] else { return nil }
        let theirsByUser = Dictionary(zip(other.perUserTest.users, theirs), uniquingKeysWith: { first, _ in first })
        let pairs = zip(perUserTest.users, own)
            .compactMap { user, value in theirsByUser[user].map { (user, value, $0) } }
            .sorted { $0.0 < $1.0 }
        return (pairs.map(\.1), pairs.map(\.2))
    }

    /// Paired t-test of this report's per-user test `metric` against `other`'s (differences this minus
    /// other); nil when the metric is missing or fewer than 2 users are shared.
    public func pairedTTest(against other: EvaluationReport, metric: String = MetricKey.ndcg(at: 10),
                            confidence: Double = 0.95) -> PairedTTest? {
        guard let (own, theirs) = pairedTestValues(with: other, metric: metric), own.count >= 2 else { return nil }
        return PairedTTest(own, theirs, confidence: confidence)
    }

    /// The mean of the per-user test `metric` with its confidence interval (the chart's error bar);
    /// nil when the report holds no per-user values of it.
    public func testMeanEstimate(metric: String = MetricKey.ndcg(at: 10), confidence: Double = 0.95) -> MeanEstimate? {
        guard let values = perUserTest.values[metric], !values.isEmpty else { return nil }
        return MeanEstimate(values, confidence: confidence)
    }

    /// The paired difference alone: "+0.0123 (95% CI [+0.0050, +0.0196]), paired t-test p = 0.001";
    /// nil when the reports share fewer than 2 users or lack `metric`.
    public func pairedDifference(against other: EvaluationReport, metric: String = MetricKey.ndcg(at: 10)) -> String? {
        guard let test = pairedTTest(against: other, metric: metric) else { return nil }
        let p = MarkdownTable.pValue(test.pValue)
        return String(format: "%+.4f (95%% CI [%+.4f, %+.4f]), paired t-test p %@", test.difference.mean,
                      test.confidenceInterval.lower, test.confidenceInterval.upper, p.hasPrefix("<") ? p : "= " + p)
    }

    /// One line for notebooks and notes: "`name` − `otherName` test NDCG@10 = +0.0123 (95% CI
    /// [+0.0050, +0.0196]), paired t-test p = 0.001" (or that they share no users).
    public func pairedComparison(against other: EvaluationReport, name: String, otherName: String,
                                 metric: String = MetricKey.ndcg(at: 10)) -> String {
        guard let difference = pairedDifference(against: other, metric: metric) else { return "\(name) vs \(otherName): no shared users" }
        return "\(name) − \(otherName) test \(metric) = " + difference
    }
}
