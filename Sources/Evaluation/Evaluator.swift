import Dispatch
import Datasets
import Foundation
import LinearAlgebra

/// The standard evaluation loop (DESIGN.md): full-catalogue ranking of every case with history
/// excluded and pessimistic ties, HR/Recall/NDCG@K, MRR, catalogue coverage and per-bucket metrics.
///
/// Cases are cut into batches of `options.batchSize` users; `options.threadCount` workers take
/// batches in turn, each scoring a batch with one `scoreBatch` call into its own reused
/// `[batchSize, numItems]` buffer. Every per-case number is computed the same way whichever worker
/// takes it, so results do not depend on the thread count or the batch size.
public struct Evaluator: Sendable {
    /// Cutoffs, batch size, threads and buckets.
    public var options: EvaluationOptions

    /// An evaluator with `options` (documented defaults otherwise).
    public init(options: EvaluationOptions = EvaluationOptions()) {
        self.options = options
    }

    /// Evaluates `scorer` on `cases`.
    ///
    /// - Parameters:
    ///   - scorer: scores the whole catalogue; must be safe to call from several threads at once.
    ///   - cases: the queries; each needs at least one target, all item ids in `0..<scorer.numItems`.
    ///   - progress: called after each batch (serialised, from a worker thread), for example
    ///     `EvaluationProgress.standardErrorPrinter`.
    /// - Throws: `EvaluationError` for no cases, a case without targets, an out-of-range item or
    ///   invalid options.
    public func evaluate(_ scorer: any RankingScorer, on cases: [EvaluationCase],
                         progress: ((EvaluationProgress) -> Void)? = nil) throws -> EvaluationResult {
        let start = DispatchTime.now().uptimeNanoseconds
        try validate(cases, numItems: scorer.numItems)
        let metricKeys = MetricKey.caseMetrics(cutoffs: options.cutoffs)
        let batchCount = (cases.count + options.batchSize - 1) / options.batchSize
        let workers = (0..<min(options.threadCount, batchCount)).map { _ in
            EvaluationWorker(numItems: scorer.numItems, batchSize: min(options.batchSize, cases.count),
                             cutoffs: options.cutoffs)
        }
        let schedule = BatchSchedule(batchCount: batchCount)
        let secondsSinceStart = { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

        var flatMetrics = [Double](repeating: 0, count: cases.count * metricKeys.count)
        flatMetrics.withUnsafeMutableBufferPointer { flatMetrics in
            DispatchQueue.concurrentPerform(iterations: workers.count) { workerIndex in
                while let batch = schedule.nextBatch() {
                    let caseRange = batch * options.batchSize..<min((batch + 1) * options.batchSize, cases.count)
                    workers[workerIndex].evaluate(scorer, on: cases[caseRange], metricsInto: flatMetrics)
                    schedule.finish(caseCount: caseRange.count) { casesDone in
                        progress?(EvaluationProgress(casesDone: casesDone, totalCases: cases.count,
                                                     elapsedSeconds: secondsSinceStart()))
                    }
                }
            }
        }

        let perCaseMetrics = Dictionary(uniqueKeysWithValues: metricKeys.enumerated().map { column, key in
            (key, stride(from: column, to: flatMetrics.count, by: metricKeys.count).map { flatMetrics[$0] })
        })
        var result = EvaluationResult(
            cutoffs: options.cutoffs,
            metrics: perCaseMetrics.mapValues(Self.mean),
            users: cases.map(\.user),
            perCaseMetrics: perCaseMetrics,
            coverage: coverage(bestPositions: workers.map(\.bestTopKPosition), numItems: scorer.numItems),
            buckets: [],
            seconds: 0)
        result.buckets = bucketMetrics(historyLengths: cases.map(\.history.count), result: result)
        result.seconds = secondsSinceStart()
        return result
    }

    private func validate(_ cases: [EvaluationCase], numItems: Int) throws {
        guard options.batchSize > 0 else { throw EvaluationError.invalidOptions("batchSize must be positive") }
        guard options.threadCount > 0 else { throw EvaluationError.invalidOptions("threadCount must be positive") }
        guard options.cutoffs.allSatisfy({ $0 > 0 }) else {
            throw EvaluationError.invalidOptions("cutoffs must be positive")
        }
        guard !cases.isEmpty else { throw EvaluationError.noCases }
        for evaluationCase in cases {
            guard !evaluationCase.targets.isEmpty else { throw EvaluationError.caseWithoutTargets(user: evaluationCase.user) }
            for item in evaluationCase.history + evaluationCase.targets where item < 0 || Int(item) >= numItems {
                throw EvaluationError.itemOutOfRange(user: evaluationCase.user, item: item, numItems: numItems)
            }
        }
    }

    /// Coverage@K from each worker's best top-K position per item, `[workers][numItems]`.
    private func coverage(bestPositions: [[Int32]], numItems: Int) -> [String: Double] {
        var best = [Int32](repeating: .max, count: numItems)
        for workerPositions in bestPositions {
            for item in 0..<numItems { best[item] = min(best[item], workerPositions[item]) }
        }
        return Dictionary(uniqueKeysWithValues: options.cutoffs.map { k in
            (MetricKey.coverage(at: k), Double(best.lazy.filter { $0 < k }.count) / Double(numItems))
        })
    }

    private func bucketMetrics(historyLengths: [Int], result: EvaluationResult) -> [HistoryBucketMetrics] {
        let buckets = options.historyBuckets
        return result.bucketed(values: historyLengths, bounds: buckets).map { bucket, caseIndices in
            HistoryBucketMetrics(label: buckets.label(ofBucket: bucket), minHistoryLength: buckets.lowerBounds[bucket],
                                 maxHistoryLength: buckets.upperBound(ofBucket: bucket), userCount: caseIndices.count,
                                 metrics: result.meanMetrics(over: caseIndices))
        }
    }

    private static func mean(_ values: [Double]) -> Double {
        values.reduce(0, +) / Double(values.count)
    }
}
