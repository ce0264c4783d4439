import Evaluation

/// One simulated A/B test: users split between A and B, one test per session metric.
public struct ABTestResult: Sendable {
    /// Users in arm A.
    public let usersA: Int
    /// Users in arm B.
    public let usersB: Int
    /// Per-user values of each metric: (arm A's users, arm B's users).
    public let values: [SessionMetric: (a: [Double], b: [Double])]
    /// Welch's test of `A − B` on per-user means, per metric.
    public let tests: [SessionMetric: WelchTTest]

    /// The test of the primary metric, click-through rate.
    public var primary: WelchTTest { tests[.clickThroughRate]! }

    /// Tests per-user metric values of the two arms (`perUser[metric]` = (arm A values, arm B values)).
    public init(perUser: [SessionMetric: (a: [Double], b: [Double])], confidence: Double = 0.95) {
        let any = perUser.values.first!
        usersA = any.a.count
        usersB = any.b.count
        values = perUser
        tests = perUser.mapValues { WelchTTest($0.a, $0.b, confidence: confidence) }
    }
}
