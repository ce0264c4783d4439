/// Several models' reports on one dataset side by side, best test NDCG@10 first, each with a 95%
/// confidence interval and a paired t-test against the best model.
public struct Leaderboard: Sendable {
    /// One model's row.
    public struct Entry: Sendable {
        /// The run's name (`EvaluationReport.runName`: the model, or `<model>.<tag>`).
        public var model: String
        /// Test NDCG@10 (the ranking metric).
        public var ndcg: Double
        /// Half-width of the `confidence` interval of the per-user test NDCG@10 mean; nil without
        /// per-user values (or with fewer than 2 users).
        public var ndcgHalfWidth: Double?
        /// Test HR@10.
        public var hitRate: Double?
        /// Test MRR.
        public var mrr: Double?
        /// Test Coverage@10.
        public var coverage: Double?
        /// Seconds spent fitting (`timings["fit"]`).
        public var fitSeconds: Double?
        /// Seeds the model was fit with and the standard deviation of their test NDCG@10 (the
        /// row's NDCG@10 is their mean); nil for a single fit.
        public var seeds: (count: Int, standardDeviation: Double)?
        /// Two-sided p-value of the paired t-test of this model's per-user test NDCG@10 against the
        /// best model's; nil for the best model itself and when the reports share fewer than 2 users.
        public var pValueAgainstBest: Double?
    }

    /// The metric entries are sorted by: `"NDCG@10"`.
    public static let rankingMetric = MetricKey.ndcg(at: 10)

    /// Dataset name of the reports (the first report's).
    public let dataset: String
    /// Confidence level of the intervals.
    public let confidence: Double
    /// Rows, best test NDCG@10 first (ties by run name).
    public let entries: [Entry]

    /// A leaderboard of `reports` (one dataset); reports without test NDCG@10 are left out.
    public init(reports: [EvaluationReport], confidence: Double = 0.95) {
        let metric = Self.rankingMetric
        let ranked = reports
            .filter { $0.testMetrics[metric] != nil }
            .sorted {
                let (left, right) = ($0.testMetrics[metric]!, $1.testMetrics[metric]!)
                return left != right ? left > right : $0.runName < $1.runName
            }
        dataset = reports.first?.dataset ?? ""
        self.confidence = confidence
        entries = ranked.enumerated().map { index, report in
            let halfWidth = report.testMeanEstimate(metric: metric, confidence: confidence)?.interval.halfWidth
            return Entry(
                model: report.runName,
                ndcg: report.testMetrics[metric]!,
                ndcgHalfWidth: halfWidth.flatMap { $0.isFinite ? $0 : nil },
                hitRate: report.testMetrics[MetricKey.hitRate(at: 10)],
                mrr: report.testMetrics[MetricKey.mrr],
                coverage: report.testCoverage[MetricKey.coverage(at: 10)],
                fitSeconds: report.timings["fit"],
                seeds: report.seedSpread(metric: metric).map { ($0.count, $0.standardDeviation) },
                pValueAgainstBest: index == 0 ? nil : report.pairedTTest(against: ranked[0], metric: metric)?.pValue)
        }
    }
}
