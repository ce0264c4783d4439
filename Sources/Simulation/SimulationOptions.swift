/// Everything that shapes a simulation of two rankers; the defaults are `llmrec simulate`'s.
public struct SimulationOptions: Codable, Equatable, Sendable {
    /// Items per slate.
    public var slateSize = 10
    /// Sessions per user in each experiment.
    public var sessionsPerUser = 1
    /// How users examine and click.
    public var clickModel = ClickModel()
    /// How the truth model's scores become attraction probabilities.
    public var groundTruth = GroundTruth.Options()
    /// The truth model (a `ModelRegistry` name), fit on every interaction, never shown to the rankers.
    public var truthModel = "ease"
    /// The truth model's hyperparameters (its first grid point for anything not pinned here).
    public var truthConfig: [String: String] = ["l2": "300"]
    /// Significance level of every test.
    public var alpha = 0.05
    /// Power the users-needed figures are computed for.
    public var targetPower = 0.9
    /// Seeded runs per point of the simulated power curve.
    public var replications = 200
    /// Seeded A/A runs. The rejection rate of 200 runs has a standard error of 1.5 points at α = 0.05,
    /// so one unlucky seed can land outside 2%-8%; 1,000 runs pin it to about ±0.7 points.
    public var calibrationRuns = 1_000
    /// Feedback-loop rounds per ranker (0 skips the loop).
    public var rounds = 5
    /// Users per run on the power curve; empty: 10, 20, 40, ... and then every user.
    public var powerCurveUsers: [Int] = []
    /// The seed every random draw derives from.
    public var seed: UInt64 = 42

    /// The defaults.
    public init() {}

    /// The power curve's sizes for a population of `users`: `powerCurveUsers`, or doubling from 10
    /// up to `users`, capped and deduplicated, ascending.
    public func curveSizes(population users: Int) -> [Int] {
        let requested = powerCurveUsers.isEmpty
            ? Array(sequence(first: 10) { $0 * 2 }.prefix { $0 < users }) + [users]
            : powerCurveUsers
        return Array(Set(requested.map { min(max($0, 4), users) })).sorted()
    }
}
