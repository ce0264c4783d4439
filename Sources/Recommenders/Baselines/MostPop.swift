/// Most-popular baseline: every user gets the same scores, the number of training users who
/// interacted with each item. A floor any personalised model must beat.
public final class MostPop: ConfigurableRecommender {
    /// MostPop has no hyperparameters.
    public struct Config: Codable, Equatable {
        public init() {}
    }

    public static let modelName = "mostpop"
    /// The single (empty) configuration.
    public static let defaultGrid = [Config()]
    public let config: Config
    public internal(set) var numItems = 0
    /// Training popularity per item (distinct users), `[numItems]`; empty before `fit`.
    public internal(set) var popularity: [Float] = []

    public init(config: Config = Config()) {
        self.config = config
    }

    public func fit(_ data: TrainingData) throws {
        popularity = data.itemPopularity().map(Float.init)
        numItems = data.numItems
    }

    public func scoreBatch(users: [Int32], histories: [[Int32]], into scores: UnsafeMutableBufferPointer<Float>) {
        precondition(scores.count >= histories.count * numItems, "score buffer too small")
        for b in histories.indices {
            _ = UnsafeMutableBufferPointer(rebasing: scores[b * numItems..<(b + 1) * numItems]).update(from: popularity)
        }
    }
}
