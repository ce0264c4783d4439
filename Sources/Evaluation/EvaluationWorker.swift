import Datasets
import LinearAlgebra

/// One worker thread's state: its score buffer `[batchSize, numItems]`, its ranking scratch and,
/// for coverage, the best (0-based) position at which each item entered any top-K list it ranked.
final class EvaluationWorker {
    let numItems: Int
    let cutoffs: [Int]
    private let metricCount: Int
    private var scores: [Float]
    private var workspace: QueryRankingWorkspace
    /// `[numItems]`: smallest position of the item in a top-`max(cutoffs)` list, `Int32.max` if none.
    private(set) var bestTopKPosition: [Int32]

    init(numItems: Int, batchSize: Int, cutoffs: [Int]) {
        self.numItems = numItems
        self.cutoffs = cutoffs
        metricCount = MetricKey.caseMetrics(cutoffs: cutoffs).count
        scores = [Float](repeating: .nan, count: batchSize * numItems)
        workspace = QueryRankingWorkspace(numItems: numItems)
        bestTopKPosition = [Int32](repeating: .max, count: numItems)
    }

    /// Scores `batch` with one `scoreBatch` call and writes each case's metrics into its row of
    /// `metricsInto`, row-major `[allCases, metricCount]` indexed by the cases' positions.
    ///
    /// The buffer is filled with NaN first, so entries a scorer leaves unwritten rank last.
    func evaluate(_ scorer: any RankingScorer, on batch: ArraySlice<EvaluationCase>,
                  metricsInto metrics: UnsafeMutableBufferPointer<Double>) {
        let topKCount = cutoffs.max() ?? 0
        scores.withUnsafeMutableBufferPointer { buffer in
            let batchScores = UnsafeMutableBufferPointer(rebasing: buffer[0..<batch.count * numItems])
            batchScores.update(repeating: .nan)
            scorer.scoreBatch(users: batch.map(\.user), histories: batch.map(\.history), into: batchScores)
            for (row, caseIndex) in batch.indices.enumerated() {
                let evaluationCase = batch[caseIndex]
                let rowScores = UnsafeBufferPointer(rebasing: batchScores[row * numItems..<(row + 1) * numItems])
                let ranks = workspace.ranks(scores: rowScores, history: evaluationCase.history,
                                            targets: evaluationCase.targets)
                let values = RankingMetrics.values(positions: TargetRanking.listPositions(fromRanks: ranks),
                                                   cutoffs: cutoffs)
                for (column, value) in values.enumerated() { metrics[caseIndex * metricCount + column] = value }
                for (position, item) in topK(rowScores, k: topKCount, excluding: evaluationCase.history).enumerated() {
                    bestTopKPosition[item] = min(bestTopKPosition[item], Int32(position))
                }
            }
        }
    }
}
