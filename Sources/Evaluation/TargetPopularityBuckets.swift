import Datasets

/// Test metrics grouped by how popular each case's target item was in the data the model was fit
/// on: how a model does on the long tail against the head. Under leave-one-out the held-out items
/// drift toward the tail (on Amazon Office the median training interactions of an item are 21 for
/// the validation targets and 14 for the test targets), so a model that only ranks popular items
/// well loses more on test than on validation.
public struct TargetPopularityBucket: Codable, Equatable, Sendable {
    /// `"5-9"`, `"80+"` (interactions of the target in the fit data).
    public var label: String
    /// Fewest interactions of a target in the bucket.
    public var minInteractions: Int
    /// Most interactions of a target in the bucket, nil for the open last bucket.
    public var maxInteractions: Int?
    /// Number of cases (users) in the bucket.
    public var userCount: Int
    /// Mean of each per-case metric over the bucket, keyed as `MetricKey`.
    public var metrics: [String: Double]

    /// A bucket's metrics.
    public init(label: String, minInteractions: Int, maxInteractions: Int?, userCount: Int, metrics: [String: Double]) {
        self.label = label
        self.minInteractions = minInteractions
        self.maxInteractions = maxInteractions
        self.userCount = userCount
        self.metrics = metrics
    }

    /// The default bounds: targets with 0-4, 5-9, 10-19, 20-39, 40-79 and 80+ interactions (the
    /// bounds type is shared with the history-length buckets).
    public static let standardBounds = HistoryBuckets(lowerBounds: [0, 5, 10, 20, 40, 80])
}

extension EvaluationResult {
    /// This result's per-case metrics grouped by the interactions of each case's target in
    /// `fitData` (the sequences the model was fit on; items are `0..<numItems`), buckets of
    /// `bounds`; empty buckets are left out. Nil unless every case has exactly one target
    /// (leave-one-out), since a case with several targets has no one popularity.
    ///
    /// - Parameter cases: the evaluated cases, in the order `evaluate` was given them.
    public func targetPopularityBuckets(cases: [EvaluationCase], fitData: [[Int32]], numItems: Int,
                                        bounds: HistoryBuckets = TargetPopularityBucket.standardBounds) -> [TargetPopularityBucket]? {
        precondition(cases.count == userCount, "\(cases.count) cases for a result of \(userCount)")
        guard cases.allSatisfy({ $0.targets.count == 1 }) else { return nil }
        var interactions = [Int](repeating: 0, count: numItems)
        for sequence in fitData { for item in sequence { interactions[Int(item)] += 1 } }
        return bucketed(values: cases.map { interactions[Int($0.targets[0])] }, bounds: bounds).map { bucket, caseIndices in
            TargetPopularityBucket(label: bounds.label(ofBucket: bucket), minInteractions: bounds.lowerBounds[bucket],
                                   maxInteractions: bounds.upperBound(ofBucket: bucket), userCount: caseIndices.count,
                                   metrics: meanMetrics(over: caseIndices))
        }
    }

    /// The cases of each non-empty bucket of `bounds` by their `values` (`[cases]`), bucket order.
    func bucketed(values: [Int], bounds: HistoryBuckets) -> [(bucket: Int, caseIndices: [Int])] {
        let casesByBucket = Dictionary(grouping: values.indices) { bounds.bucketIndex(forHistoryLength: values[$0]) ?? -1 }
        return bounds.lowerBounds.indices.compactMap { bucket in casesByBucket[bucket].map { (bucket, $0) } }
    }

    /// The mean of every per-case metric over the cases `caseIndices`.
    func meanMetrics(over caseIndices: [Int]) -> [String: Double] {
        perCaseMetrics.mapValues { values in caseIndices.reduce(0) { $0 + values[$1] } / Double(caseIndices.count) }
    }
}
