import Evaluation

/// Scores every user's whole catalogue with `scorer`, `batchSize` users at a time, and hands each
/// user's score row to `body` (user index, scores).
func forEachUserScores(_ scorer: any RankingScorer, histories: [[Int32]], batchSize: Int = 256,
                       _ body: (Int, UnsafeBufferPointer<Float>) -> Void) {
    let n = scorer.numItems
    var scores = [Float](repeating: 0, count: batchSize * n)
    for start in stride(from: 0, to: histories.count, by: batchSize) {
        let users = start..<min(start + batchSize, histories.count)
        scores.withUnsafeMutableBufferPointer { buffer in
            scorer.scoreBatch(users: users.map { Int32($0) }, histories: Array(histories[users]), into: buffer)
            for (row, user) in users.enumerated() {
                body(user, UnsafeBufferPointer(rebasing: buffer[row * n..<(row + 1) * n]))
            }
        }
    }
}
