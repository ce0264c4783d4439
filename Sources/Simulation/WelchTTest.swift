import Evaluation

/// Welch's two-sample t-test of two independent groups with possibly unequal variances (Welch,
/// "The generalization of Student's problem when several different population variances are
/// involved", Biometrika 1947): is `mean(a) − mean(b)` zero? The A/B test's default test.
public struct WelchTTest: Sendable {
    /// Group `a`'s mean with its standard error and confidence interval.
    public let a: MeanEstimate
    /// Group `b`'s mean with its standard error and confidence interval.
    public let b: MeanEstimate
    /// `mean(a) − mean(b)`.
    public let difference: Double
    /// `sqrt(se_a² + se_b²)`.
    public let standardError: Double
    /// Welch–Satterthwaite degrees of freedom.
    public let degreesOfFreedom: Double
    /// `difference / standardError` (0 when both are 0, ±infinity when only the error is 0).
    public let tStatistic: Double
    /// Two-sided p-value from Student's t with `degreesOfFreedom`.
    public let pValue: Double
    /// Confidence interval of `difference` at the level of the estimates.
    public let confidenceInterval: ConfidenceInterval

    /// Tests `a` against `b` (at least 2 values each) with a `confidence` interval of the difference.
    public init(_ a: [Double], _ b: [Double], confidence: Double = 0.95) {
        precondition(a.count >= 2 && b.count >= 2, "Welch's test needs at least 2 values per group")
        self.a = MeanEstimate(a, confidence: confidence)
        self.b = MeanEstimate(b, confidence: confidence)
        difference = self.a.mean - self.b.mean
        let (va, vb) = (self.a.standardError * self.a.standardError, self.b.standardError * self.b.standardError)
        standardError = (va + vb).squareRoot()
        if standardError > 0 {
            let denominator = va * va / Double(a.count - 1) + vb * vb / Double(b.count - 1)
            degreesOfFreedom = (va + vb) * (va + vb) / denominator
            let distribution = StudentTDistribution(degreesOfFreedom: degreesOfFreedom)
            tStatistic = difference / standardError
            pValue = distribution.twoSidedPValue(tStatistic)
            let critical = distribution.quantile((1 + confidence) / 2)
            confidenceInterval = ConfidenceInterval(lower: difference - critical * standardError,
                                                    upper: difference + critical * standardError, confidence: confidence)
        } else {
            degreesOfFreedom = Double(a.count + b.count - 2)
            tStatistic = difference == 0 ? 0 : (difference > 0 ? .infinity : -.infinity)
            pValue = difference == 0 ? 1 : 0
            confidenceInterval = ConfidenceInterval(lower: difference, upper: difference, confidence: confidence)
        }
    }
}
