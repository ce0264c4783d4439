import Recommenders
import SeededRandom


enum Fixtures {
    /// Each user interacts with each item with probability `density`, in random order.
    static func randomData(users: Int, items: Int, density: Double, seed: UInt64) -> TrainingData {
        var random = SplitMix64(seed: seed)
        let sequences = (0..<users).map { _ in
            (0..<Int32(items)).filter { _ in Double.random(in: 0..<1, using: &random) < density }.shuffled(using: &random)
        }
        return TrainingData(numUsers: users, numItems: items, sequences: sequences)
    }

    /// The 3 users x 3 items example of the similarity tests: users {0, 1}, {0, 1, 2}, {1, 2}.
    static let threeByThree = TrainingData(numUsers: 3, numItems: 3, sequences: [[0, 1], [2, 1, 0], [1, 2]])

    /// Scores of `model` for `histories`, `[histories.count][numItems]`.
    static func scores(of model: any Recommender, histories: [[Int32]]) -> [[Float]] {
        var flat = [Float](repeating: .nan, count: histories.count * model.numItems)
        flat.withUnsafeMutableBufferPointer {
            model.scoreBatch(users: histories.indices.map { Int32($0) }, histories: histories, into: $0)
        }
        return histories.indices.map { Array(flat[$0 * model.numItems..<($0 + 1) * model.numItems]) }
    }
}
