import Foundation

/// Everything one evaluation of one model on one dataset produced: the file
/// `reports/<dataset>/<model>.json` that the leaderboard, the notebooks, the A/B simulation and
/// users' scripts read (DESIGN.md).
///
/// Metric keys follow `MetricKey` (`"NDCG@10"`, `"HR@10"`, `"Recall@10"`, `"MRR"`, `"Coverage@10"`).
public struct EvaluationReport: Codable, Equatable, Sendable {
    /// One configuration tried during the hyperparameter search, with its validation metrics.
    public struct GridPoint: Codable, Equatable, Sendable {
        /// The configuration, as the model describes it.
        public var config: [String: String]
        /// Its validation metrics (mean over validation users).
        public var validationMetrics: [String: Double]
        /// Training epochs it got, for models that train in epochs (successive halving gives the
        /// configurations it drops fewer); nil for closed-form models.
        public var epochs: Int?
        /// How the search came to try it, when not from the model's grid (e.g. "extended l2 below
        /// 100"), or why it stopped early ("dropped after 4 epochs"); nil otherwise.
        public var note: String?

        /// A tried configuration and its validation metrics.
        public init(config: [String: String], validationMetrics: [String: Double], epochs: Int? = nil,
                    note: String? = nil) {
            self.config = config
            self.validationMetrics = validationMetrics
            self.epochs = epochs
            self.note = note
        }
    }

    /// Per-user metric values: `values[key][i]` belongs to internal user `users[i]`.
    public struct PerUserMetrics: Codable, Equatable, Sendable {
        /// Internal user ids, `[users]`.
        public var users: [Int32]
        /// Metric key to values aligned with `users`, `[users]` each.
        public var values: [String: [Double]]

        /// Per-user values aligned with `users`.
        public init(users: [Int32], values: [String: [Double]]) {
            precondition(values.values.allSatisfy { $0.count == users.count }, "one value per user")
            self.users = users
            self.values = values
        }
    }

    /// One fit of the chosen configuration with one seed (`llmrec evaluate --seeds N`).
    public struct SeedRun: Codable, Equatable, Sendable {
        /// The seed the fit used.
        public var seed: Int
        /// Its validation metrics.
        public var validationMetrics: [String: Double]
        /// Its test metrics.
        public var testMetrics: [String: Double]

        /// A seed's fit and its metrics.
        public init(seed: Int, validationMetrics: [String: Double], testMetrics: [String: Double]) {
            self.seed = seed
            self.validationMetrics = validationMetrics
            self.testMetrics = testMetrics
        }
    }

    /// Short model name (`"ease"`, `"sasrec"`).
    public var model: String
    /// The name a user gave this run (`llmrec evaluate --tag`) to keep several runs of one model
    /// apart; nil for the model's default run. See `runName`.
    public var tag: String?
    /// Dataset name (`"ml-100k"`).
    public var dataset: String
    /// `"leave-one-out"` or `"temporal"`; encoded under the key `"protocol"`.
    public var protocolName: String
    /// How a user's interactions that share a timestamp were ordered (`TieBreak.description`:
    /// "seeded-hash", "item-id"); nil in reports written before the rule was recorded, which all
    /// used "item-id".
    public var tieBreak: String?
    /// The configuration chosen on validation.
    public var config: [String: String]
    /// Every configuration tried, with its validation metrics.
    public var grid: [GridPoint]
    /// How the configurations were searched (e.g. "successive halving: 8 configurations, rungs of
    /// 5, 10, 20 epochs, the better half continues"); nil for a plain grid.
    public var search: String?
    /// Validation metrics of the chosen configuration (the mean over `seedRuns` when there are several).
    public var validationMetrics: [String: Double]
    /// Test metrics of the chosen configuration (refit on train + validation); with several
    /// `seedRuns`, their mean, as are the coverage, buckets and per-user values.
    public var testMetrics: [String: Double]
    /// Each seed's fit of the chosen configuration, the search's own first; nil for one seed.
    public var seedRuns: [SeedRun]?
    /// Test catalogue coverage, keyed `"Coverage@K"`.
    public var testCoverage: [String: Double]
    /// Test metrics per history-length bucket.
    public var testBuckets: [HistoryBucketMetrics]
    /// Test metrics per bucket of the target's interactions in the fit data (leave-one-out only;
    /// nil otherwise and in reports written before it existed).
    public var testTargetPopularity: [TargetPopularityBucket]?
    /// Per-user test metrics (by default NDCG@10 and HR@10), for paired tests between reports.
    public var perUserTest: PerUserMetrics
    /// Seconds per stage, keyed `"fit"`, `"validation"`, `"test"`, `"total"` (others allowed).
    public var timings: [String: Double]
    /// Sizes, keyed for example `"users"`, `"items"`, `"trainInteractions"`, `"validationCases"`, `"testCases"`.
    public var counts: [String: Int]
    /// When the report was made.
    public var createdAt: Date

    /// A report from its parts.
    public init(model: String, dataset: String, protocolName: String, config: [String: String], grid: [GridPoint],
                validationMetrics: [String: Double], testMetrics: [String: Double], testCoverage: [String: Double],
                testBuckets: [HistoryBucketMetrics], perUserTest: PerUserMetrics, timings: [String: Double],
                counts: [String: Int], createdAt: Date) {
        self.model = model
        self.dataset = dataset
        self.protocolName = protocolName
        self.config = config
        self.grid = grid
        self.validationMetrics = validationMetrics
        self.testMetrics = testMetrics
        self.testCoverage = testCoverage
        self.testBuckets = testBuckets
        self.perUserTest = perUserTest
        self.timings = timings
        self.counts = counts
        self.createdAt = createdAt
    }

    /// A report from the chosen configuration's validation and test results; keeps the per-user test
    /// values of `perUserMetricKeys` (default NDCG@10 and HR@10).
    public init(model: String, dataset: String, protocolName: String, config: [String: String], grid: [GridPoint],
                validation: EvaluationResult, test: EvaluationResult, timings: [String: Double],
                counts: [String: Int], createdAt: Date = Date(),
                perUserMetricKeys: [String] = [MetricKey.ndcg(at: 10), MetricKey.hitRate(at: 10)]) {
        let perUserValues = perUserMetricKeys.compactMap { key in test.perCaseMetrics[key].map { (key, $0) } }
        self.init(model: model, dataset: dataset, protocolName: protocolName, config: config, grid: grid,
                  validationMetrics: validation.metrics, testMetrics: test.metrics, testCoverage: test.coverage,
                  testBuckets: test.buckets,
                  perUserTest: PerUserMetrics(users: test.users, values: Dictionary(uniqueKeysWithValues: perUserValues)),
                  timings: timings, counts: counts, createdAt: createdAt)
    }

    /// The run's name in file names and leaderboard rows: the model name, or `<model>.<tag>`.
    public var runName: String { tag.map { "\(model).\($0)" } ?? model }

    private enum CodingKeys: String, CodingKey {
        case model, tag, dataset, protocolName = "protocol", tieBreak, config, grid, search, validationMetrics, testMetrics, testCoverage
        case testBuckets, testTargetPopularity, perUserTest, seedRuns, timings, counts, createdAt
    }
}
