import Foundation

/// Normal-approximation power analysis of a per-user mean: with an effect `δ` and a per-user
/// standard deviation `σ`, `n` users give a two-sided level-α z-test of power
/// `Φ(|δ|√n/σ − z_{1−α/2}) + Φ(−|δ|√n/σ − z_{1−α/2})`, and power `1 − β` needs
/// `n = ((z_{1−α/2} + z_{1−β}) σ / δ)²` users (Cohen, "Statistical Power Analysis for the
/// Behavioral Sciences", 1988).
///
/// An A/B test with users split evenly is the same calculation with `σ² = 2(σ_A² + σ_B²)`: the
/// difference of two means over `n/2` users each has variance `2(σ_A² + σ_B²)/n`. Interleaving
/// shows both rankers to every user, so its `σ` is the per-user spread of `wins A − wins B`.
public struct PowerAnalysis: Codable, Equatable, Sendable {
    /// The effect `δ` to detect.
    public var effect: Double
    /// The per-user standard deviation `σ` of the test statistic's summand.
    public var standardDeviation: Double

    /// An analysis for `effect` with per-user standard deviation `standardDeviation` (>= 0).
    public init(effect: Double, standardDeviation: Double) {
        precondition(standardDeviation >= 0, "the standard deviation must be non-negative")
        self.effect = effect
        self.standardDeviation = standardDeviation
    }

    /// The analysis of an A/B test's observed difference and arm spreads (users split evenly).
    public init(abTest test: WelchTTest) {
        let (sa, sb) = (test.a.standardDeviation, test.b.standardDeviation)
        self.init(effect: test.difference, standardDeviation: (2 * (sa * sa + sb * sb)).squareRoot())
    }

    /// The analysis of an interleaving experiment's observed preference `Δ` and its per-user spread.
    public init(interleaving result: InterleavingResult) {
        self.init(effect: result.test.difference.mean, standardDeviation: result.test.difference.standardDeviation)
    }

    /// Power of a two-sided test at level `alpha` with `users` users.
    public func power(users: Int, alpha: Double = 0.05) -> Double {
        let critical = NormalDistribution.quantile(1 - alpha / 2)
        guard standardDeviation > 0 else { return effect == 0 ? alpha : 1 }
        let shift = abs(effect) * Double(users).squareRoot() / standardDeviation
        return NormalDistribution.cdf(shift - critical) + NormalDistribution.cdf(-shift - critical)
    }

    /// Users needed for `power` at level `alpha` (nil when there is no effect to detect), rounded up;
    /// even for an A/B test's two equal arms is left to the caller.
    public func usersNeeded(power: Double = 0.9, alpha: Double = 0.05) -> Int? {
        guard effect != 0 else { return nil }
        let z = NormalDistribution.quantile(1 - alpha / 2) + NormalDistribution.quantile(power)
        let users = (z * standardDeviation / effect) * (z * standardDeviation / effect)
        return max(2, Int(users.rounded(.up)))
    }
}
