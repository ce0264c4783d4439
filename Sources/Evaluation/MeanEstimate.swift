/// The mean of a sample with its standard error and Student-t confidence interval: the error bar of
/// one model's metric over users.
public struct MeanEstimate: Sendable {
    /// Sample size.
    public let count: Int
    /// Sample mean.
    public let mean: Double
    /// Sample standard deviation (n - 1 in the denominator); NaN when `count < 2`.
    public let standardDeviation: Double
    /// `standardDeviation / sqrt(count)`; NaN when `count < 2`.
    public let standardError: Double
    /// `mean ± t_{(1+confidence)/2, count-1} · standardError`; NaN ends when `count < 2`.
    public let interval: ConfidenceInterval

    /// Estimates the mean of `values` (not empty) with a `confidence` interval (default 95%).
    public init(_ values: [Double], confidence: Double = 0.95) {
        precondition(!values.isEmpty, "cannot estimate the mean of no values")
        precondition(confidence > 0 && confidence < 1, "confidence must be in (0, 1)")
        let mean = values.reduce(0, +) / Double(values.count)
        self.mean = mean
        count = values.count
        guard count >= 2 else {
            standardDeviation = .nan
            standardError = .nan
            interval = ConfidenceInterval(lower: .nan, upper: .nan, confidence: confidence)
            return
        }
        let sumOfSquares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        standardDeviation = (sumOfSquares / Double(count - 1)).squareRoot()
        standardError = standardDeviation / Double(count).squareRoot()
        let critical = StudentTDistribution(degreesOfFreedom: Double(count - 1)).quantile((1 + confidence) / 2)
        interval = ConfidenceInterval(lower: mean - critical * standardError, upper: mean + critical * standardError,
                                      confidence: confidence)
    }
}
