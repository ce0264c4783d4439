import Evaluation

extension ConfidenceInterval {
    /// The Wilson score interval (Wilson 1927) of a proportion observed as `rate` over `trials`
    /// independent trials: honest near 0 and 1, where the normal interval is not (an A/A rejection
    /// rate near α = 0.05 is such a case).
    public static func wilson(rate: Double, trials: Int, confidence: Double = 0.95) -> ConfidenceInterval {
        precondition(trials > 0, "a proportion needs at least one trial")
        let z = NormalDistribution.quantile((1 + confidence) / 2)
        let n = Double(trials)
        let center = (rate + z * z / (2 * n)) / (1 + z * z / n)
        let halfWidth = z / (1 + z * z / n) * (rate * (1 - rate) / n + z * z / (4 * n * n)).squareRoot()
        return ConfidenceInterval(lower: max(0, center - halfWidth), upper: min(1, center + halfWidth),
                                  confidence: confidence)
    }
}
