extension EvaluationReport {
    /// How one test metric varies over the report's seed runs: their count, mean and sample
    /// standard deviation (n - 1); nil without several seed runs or when a run lacks the metric.
    public func seedSpread(metric: String) -> (count: Int, mean: Double, standardDeviation: Double)? {
        guard let runs = seedRuns, runs.count > 1 else { return nil }
        let values = runs.compactMap { $0.testMetrics[metric] }
        guard values.count == runs.count else { return nil }
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
        return (values.count, mean, variance.squareRoot())
    }
}
