extension EvaluationResult {
    /// The mean of several evaluations of one model family on the same cases (fits with different
    /// seeds): every metric, per-case value, coverage and bucket metric averaged over `results`,
    /// seconds summed. Paired tests on the mean's per-case values compare seed-averaged users.
    ///
    /// - Precondition: `results` is not empty and every result has the same users in the same order
    ///   and the same buckets.
    public static func mean(of results: [EvaluationResult]) -> EvaluationResult {
        precondition(!results.isEmpty, "the mean of no evaluations")
        let first = results[0]
        precondition(results.allSatisfy { $0.users == first.users && $0.buckets.map(\.label) == first.buckets.map(\.label) },
                     "seed runs must evaluate the same cases")
        let count = Double(results.count)
        func mean(_ values: (EvaluationResult) -> [String: Double]) -> [String: Double] {
            values(first).keys.reduce(into: [:]) { means, key in
                means[key] = results.reduce(0) { $0 + (values($1)[key] ?? .nan) } / count
            }
        }
        var perCase: [String: [Double]] = [:]
        for (key, values) in first.perCaseMetrics {
            var sums = values
            for result in results.dropFirst() {
                for (index, value) in (result.perCaseMetrics[key] ?? []).enumerated() { sums[index] += value }
            }
            perCase[key] = sums.map { $0 / count }
        }
        let buckets = first.buckets.indices.map { index in
            var bucket = first.buckets[index]
            bucket.metrics = mean { $0.buckets[index].metrics }
            return bucket
        }
        return EvaluationResult(cutoffs: first.cutoffs, metrics: mean(\.metrics), users: first.users,
                                perCaseMetrics: perCase, coverage: mean(\.coverage), buckets: buckets,
                                seconds: results.reduce(0) { $0 + $1.seconds })
    }
}
