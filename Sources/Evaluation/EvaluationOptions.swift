import Foundation

/// How `Evaluator` runs: cutoffs, batch size, threads and history buckets.
public struct EvaluationOptions: Codable, Equatable, Sendable {
    /// The K of HR@K, Recall@K, NDCG@K and Coverage@K. Default `[5, 10, 20, 50]`.
    public var cutoffs: [Int]
    /// Users scored per `scoreBatch` call. Default 256. Each worker holds a `[batchSize, numItems]`
    /// Float buffer.
    public var batchSize: Int
    /// Worker threads, each taking whole batches. Default: the number of active processors.
    /// Results do not depend on it.
    public var threadCount: Int
    /// History-length buckets for the per-bucket metrics. Default `HistoryBuckets.standard`.
    public var historyBuckets: HistoryBuckets

    /// Options with the documented defaults for anything not given.
    public init(cutoffs: [Int] = [5, 10, 20, 50], batchSize: Int = 256,
                threadCount: Int = ProcessInfo.processInfo.activeProcessorCount,
                historyBuckets: HistoryBuckets = .standard) {
        self.cutoffs = cutoffs
        self.batchSize = batchSize
        self.threadCount = threadCount
        self.historyBuckets = historyBuckets
    }
}
