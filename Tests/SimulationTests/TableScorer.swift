import Evaluation

/// A scorer that returns a fixed score row per user: hand-made truth models and rankers.
final class TableScorer: RankingScorer {
    let rows: [[Float]]
    var numItems: Int { rows.first?.count ?? 0 }

    init(_ rows: [[Float]]) {
        self.rows = rows
    }

    func scoreBatch(users: [Int32], histories: [[Int32]], into scores: UnsafeMutableBufferPointer<Float>) {
        for (row, user) in users.enumerated() {
            for item in 0..<numItems { scores[row * numItems + item] = rows[Int(user)][item] }
        }
    }
}
