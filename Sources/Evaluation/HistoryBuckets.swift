/// Groups evaluation cases by the length of the user's history (with repeats), to show how a model
/// does for cold and for heavy users.
///
/// Bucket `i` holds lengths in `lowerBounds[i] ..< lowerBounds[i + 1]`; the last bucket is open.
/// Lengths below the first bound fall in no bucket.
public struct HistoryBuckets: Codable, Equatable, Sendable {
    /// Strictly increasing, non-negative lower bounds of the buckets.
    public var lowerBounds: [Int]

    /// Buckets starting at `lowerBounds` (strictly increasing, non-negative).
    public init(lowerBounds: [Int]) {
        precondition(lowerBounds.allSatisfy { $0 >= 0 }, "bucket bounds must be non-negative")
        precondition(zip(lowerBounds, lowerBounds.dropFirst()).allSatisfy { $0 < $1 }, "bucket bounds must increase")
        self.lowerBounds = lowerBounds
    }

    /// The default buckets: 0-9, 10-19, 20-49, 50-99, 100-199, 200+ items of history.
    public static let standard = HistoryBuckets(lowerBounds: [0, 10, 20, 50, 100, 200])

    /// The index of the bucket holding `historyLength`, or nil below the first bound.
    public func bucketIndex(forHistoryLength historyLength: Int) -> Int? {
        lowerBounds.lastIndex { $0 <= historyLength }
    }

    /// The largest value in bucket `index`, nil for the open last bucket.
    public func upperBound(ofBucket index: Int) -> Int? {
        index + 1 < lowerBounds.count ? lowerBounds[index + 1] - 1 : nil
    }

    /// The label of bucket `index`: `"10-19"`, or `"200+"` for the last one.
    public func label(ofBucket index: Int) -> String {
        index + 1 < lowerBounds.count
            ? "\(lowerBounds[index])-\(lowerBounds[index + 1] - 1)"
            : "\(lowerBounds[index])+"
    }
}

/// The metrics of the cases in one history-length bucket.
public struct HistoryBucketMetrics: Codable, Equatable, Sendable {
    /// `"10-19"`, `"200+"`: see `HistoryBuckets.label(ofBucket:)`.
    public var label: String
    /// Smallest history length in the bucket.
    public var minHistoryLength: Int
    /// Largest history length in the bucket, nil for the open last bucket.
    public var maxHistoryLength: Int?
    /// Number of cases (users) in the bucket.
    public var userCount: Int
    /// Mean of each per-case metric over the bucket, keyed as `MetricKey`.
    public var metrics: [String: Double]

    /// A bucket's metrics.
    public init(label: String, minHistoryLength: Int, maxHistoryLength: Int?, userCount: Int, metrics: [String: Double]) {
        self.label = label
        self.minHistoryLength = minHistoryLength
        self.maxHistoryLength = maxHistoryLength
        self.userCount = userCount
        self.metrics = metrics
    }
}
