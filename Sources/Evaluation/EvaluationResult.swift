/// What one evaluation of a scorer on a list of cases measured.
public struct EvaluationResult: Codable, Equatable, Sendable {
    /// The cutoffs K the metrics were computed at.
    public var cutoffs: [Int]
    /// Mean of every per-case metric over the cases, keyed as `MetricKey` (`"NDCG@10"`, `"MRR"`).
    public var metrics: [String: Double]
    /// The internal user id of each case, `[cases]`, in the order the cases were given.
    public var users: [Int32]
    /// Each per-case metric, `[cases]`, aligned with `users`: the input of paired significance tests.
    public var perCaseMetrics: [String: [Double]]
    /// Catalogue coverage, keyed `"Coverage@K"`: the fraction of catalogue items that appear in at
    /// least one case's top-K list (history excluded, ties to the lower item id).
    public var coverage: [String: Double]
    /// Mean metrics per history-length bucket; empty buckets are left out.
    public var buckets: [HistoryBucketMetrics]
    /// Wall-clock seconds the evaluation took, scoring included.
    public var seconds: Double

    /// A result; `Evaluator.evaluate` builds these.
    public init(cutoffs: [Int], metrics: [String: Double], users: [Int32], perCaseMetrics: [String: [Double]],
                coverage: [String: Double], buckets: [HistoryBucketMetrics], seconds: Double) {
        self.cutoffs = cutoffs
        self.metrics = metrics
        self.users = users
        self.perCaseMetrics = perCaseMetrics
        self.coverage = coverage
        self.buckets = buckets
        self.seconds = seconds
    }

    /// Number of users (cases) evaluated.
    public var userCount: Int { users.count }
}
