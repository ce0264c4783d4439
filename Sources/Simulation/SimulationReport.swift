import Evaluation
import Foundation

/// Everything one simulation of ranker A against ranker B measured: the JSON file
/// `reports/<dataset>/simulation-<a>-vs-<b>.json`. Differences are always `A − B`.
public struct SimulationReport: Codable, Equatable, Sendable {
    /// One ranker as simulated.
    public struct Ranker: Codable, Equatable, Sendable {
        /// Model name.
        public var model: String
        /// Hyperparameters (chosen on validation by the offline evaluation).
        public var config: [String: String]
        /// Offline test NDCG@10 under the evaluation protocol.
        public var offlineNDCG10: Double
        /// Click-through rate expected from the click model's exact click probabilities (no sampling noise).
        public var expectedClickThroughRate: Double
    }

    /// One metric of the A/B test: both arms and their difference.
    public struct MetricComparison: Codable, Equatable, Sendable {
        /// Metric name (`SessionMetric` raw value).
        public var metric: String
        /// Arm A's per-user mean and confidence interval.
        public var meanA: Double, intervalA: ConfidenceInterval
        /// Arm B's per-user mean and confidence interval.
        public var meanB: Double, intervalB: ConfidenceInterval
        /// `meanA − meanB` with Welch's interval and p-value.
        public var difference: Double, interval: ConfidenceInterval, pValue: Double
        /// The two-sample percentile bootstrap's interval and p-value of the same difference.
        public var bootstrapInterval: ConfidenceInterval, bootstrapPValue: Double
    }

    /// The A/B test on every user.
    public struct ABTestSummary: Codable, Equatable, Sendable {
        /// Users per arm.
        public var usersA: Int, usersB: Int
        /// One comparison per session metric; CTR is the primary metric.
        public var metrics: [MetricComparison]
    }

    /// The team-draft interleaving experiment on every user.
    public struct InterleavingSummary: Codable, Equatable, Sendable {
        /// Users and session verdicts.
        public var users: Int, winsA: Int, winsB: Int, ties: Int
        /// Share of decided sessions won by A.
        public var preferenceForA: Double
        /// Δ = mean per-user (wins A − wins B) share, its interval and the paired t-test's p-value.
        public var delta: Double, interval: ConfidenceInterval, pValue: Double
    }

    /// One size on the power curves.
    public struct PowerPoint: Codable, Equatable, Sendable {
        /// Users in the experiment.
        public var users: Int
        /// Normal-approximation power of the A/B test and of interleaving.
        public var abAnalytic: Double, interleavingAnalytic: Double
        /// Share of seeded runs that detected the effect in the observed direction.
        public var abSimulated: Double, interleavingSimulated: Double
    }

    /// Users needed, and the power curves that show it.
    public struct PowerSummary: Codable, Equatable, Sendable {
        /// Significance level and target power.
        public var alpha: Double, targetPower: Double
        /// The observed effects and per-user spreads behind the analytic curves.
        public var abTest: PowerAnalysis, interleaving: PowerAnalysis
        /// Users needed for `targetPower` (nil without an effect).
        public var abUsersNeeded: Int?, interleavingUsersNeeded: Int?
        /// Analytic and simulated power per size, ascending.
        public var curve: [PowerPoint]
    }

    /// The A/A calibration: ranker A against itself.
    public struct Calibration: Codable, Equatable, Sendable {
        /// The ranker compared with itself.
        public var model: String
        /// Significance level of the tests.
        public var alpha: Double
        /// Share of seeded A/A runs significant at `alpha` (honest tests give about `alpha`).
        public var rejections: Simulator.RejectionRates
    }

    /// Data set name and evaluation protocol.
    public var dataset: String, protocolName: String
    /// The two rankers.
    public var a: Ranker, b: Ranker
    /// Everything that shaped the simulation.
    public var options: SimulationOptions
    /// Simulated users (every user of the data set).
    public var users: Int
    /// The A/B test.
    public var abTest: ABTestSummary
    /// The interleaving experiment.
    public var interleaving: InterleavingSummary
    /// Power analysis.
    public var power: PowerSummary
    /// A/A calibration.
    public var calibration: Calibration
    /// Feedback-loop rounds per ranker.
    public var feedbackA: [FeedbackLoop.Round], feedbackB: [FeedbackLoop.Round]
    /// "a", "b" or "none": which ranker the A/B test found significantly better on CTR.
    public var simulatedWinner: String
    /// "a", "b" or "none": which ranker has the higher offline test NDCG@10.
    public var offlineWinner: String
    /// Seconds per phase.
    public var timings: [String: Double]

    /// Whether the simulated A/B winner is the offline winner.
    public var directionAgrees: Bool { simulatedWinner == offlineWinner }
}
