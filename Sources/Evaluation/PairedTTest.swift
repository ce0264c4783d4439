/// Student's paired t-test of two models evaluated on the same cases: is the mean of the per-case
/// differences `a[i] - b[i]` zero? (Student, "The probable error of a mean", Biometrika 1908.)
public struct PairedTTest: Sendable {
    /// The mean difference `mean(a - b)` with its standard error and confidence interval.
    public let difference: MeanEstimate
    /// `mean / standardError`; 0 when every difference is 0, ±infinity when all are equal but not 0.
    public let tStatistic: Double
    /// `count - 1`.
    public let degreesOfFreedom: Int
    /// Two-sided p-value from Student's t with `degreesOfFreedom`.
    public let pValue: Double

    /// Tests `a` against `b`, aligned case by case (same length, at least 2 cases).
    public init(_ a: [Double], _ b: [Double], confidence: Double = 0.95) {
        precondition(a.count == b.count, "paired samples must have the same length")
        precondition(a.count >= 2, "a paired t-test needs at least 2 cases")
        difference = MeanEstimate(zip(a, b).map { $0 - $1 }, confidence: confidence)
        degreesOfFreedom = a.count - 1
        if difference.standardError > 0 {
            tStatistic = difference.mean / difference.standardError
            pValue = StudentTDistribution(degreesOfFreedom: Double(degreesOfFreedom)).twoSidedPValue(tStatistic)
        } else {
            tStatistic = difference.mean == 0 ? 0 : (difference.mean > 0 ? .infinity : -.infinity)
            pValue = difference.mean == 0 ? 1 : 0
        }
    }

    /// The confidence interval of the mean difference.
    public var confidenceInterval: ConfidenceInterval { difference.interval }
}
