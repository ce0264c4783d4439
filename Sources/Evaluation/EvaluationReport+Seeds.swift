extension EvaluationReport {
    /// How one test metric varies over the report's seed runs (`MeanEstimate`: count, mean and
    /// sample standard deviation); nil without several seed runs or when a run lacks the metric.
    public func seedSpread(metric: String) -> MeanEstimate? {
        guard let runs = seedRuns, runs.count > 1 else { return nil }
        let values = runs.compactMap { $0.testMetrics[metric] }
        guard values.count == runs.count else { return nil }
        return MeanEstimate(values)
    }
}
