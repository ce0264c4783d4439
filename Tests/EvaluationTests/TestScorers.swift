import Evaluation
import SeededRandom

/// Scores from a fixed table: `rows[user]` is that user's `[numItems]` score row.
final class TableScorer: RankingScorer {
    let numItems: Int
    let rows: [Int32: [Float]]

    init(numItems: Int, rows: [Int32: [Float]]) {
        precondition(rows.values.allSatisfy { $0.count == numItems })
        self.numItems = numItems
        self.rows = rows
    }

    func scoreBatch(users: [Int32], histories: [[Int32]], into scores: UnsafeMutableBufferPointer<Float>) {
        for (row, user) in users.enumerated() {
            for item in 0..<numItems { scores[row * numItems + item] = rows[user]![item] }
        }
    }
}

/// The same score for every item of every user: must rank every target last.
final class ConstantScorer: RankingScorer {
    let numItems: Int

    init(numItems: Int) {
        self.numItems = numItems
    }

    func scoreBatch(users: [Int32], histories: [[Int32]], into scores: UnsafeMutableBufferPointer<Float>) {
        scores.update(repeating: 0.5)
    }
}

/// A deterministic pseudo-random score per (user, item): one of 8 levels (many ties), NaN for about
/// 1 item in 17.
final class HashedScorer: RankingScorer {
    let numItems: Int
    let salt: UInt64

    init(numItems: Int, salt: UInt64) {
        self.numItems = numItems
        self.salt = salt
    }

    func score(user: Int32, item: Int) -> Float {
        var generator = SplitMix64(seed: salt &* 1_000_003 &+ UInt64(user) &* 65_537 &+ UInt64(item))
        let draw = generator.next()
        return draw % 17 == 0 ? .nan : Float(draw % 8) / 8
    }

    func scoreBatch(users: [Int32], histories: [[Int32]], into scores: UnsafeMutableBufferPointer<Float>) {
        for (row, user) in users.enumerated() {
            for item in 0..<numItems { scores[row * numItems + item] = score(user: user, item: item) }
        }
    }
}

