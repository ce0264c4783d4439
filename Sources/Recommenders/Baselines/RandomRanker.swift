import SeededRandom

/// The chance baseline: every item gets a uniform random score, drawn from a stream seeded by the
/// configuration's seed and the user id, so a user's ranking does not depend on the batch it is
/// scored in. Its expected HR@K is K / (candidates), the floor the cold-start report compares to.
public final class RandomRanker: ConfigurableRecommender {
    /// The seed is the only setting.
    public struct Config: Codable, Equatable {
        /// Seed of every user's score stream.
        public var seed: Int

        public init(seed: Int = 42) {
            self.seed = seed
        }
    }

    public static let modelName = "random"
    /// The single configuration.
    public static let defaultGrid = [Config()]
    public let config: Config
    public internal(set) var numItems = 0

    public init(config: Config = Config()) {
        self.config = config
    }

    /// Only learns the catalogue size.
    public func fit(_ data: TrainingData) throws {
        numItems = data.numItems
    }

    public func scoreBatch(users: [Int32], histories: [[Int32]], into scores: UnsafeMutableBufferPointer<Float>) {
        precondition(scores.count >= histories.count * numItems, "score buffer too small")
        for b in histories.indices {
            var random = SplitMix64(seed: UInt64(config.seed), stream: UInt64(UInt32(bitPattern: users[b])))
            for j in 0..<numItems { scores[b * numItems + j] = Float(random.nextUnit()) }
        }
    }
}
