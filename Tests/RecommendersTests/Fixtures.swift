import Recommenders

/// SplitMix64 (Steele, Lea, Flood 2014) for reproducible random training data in tests.
struct TestRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum Fixtures {
    /// Each user interacts with each item with probability `density`, in random order.
    static func randomData(users: Int, items: Int, density: Double, seed: UInt64) -> TrainingData {
        var random = TestRandom(seed: seed)
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
