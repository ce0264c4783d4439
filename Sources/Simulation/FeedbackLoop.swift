import Recommenders
import SeededRandom

/// Several rounds in which a ranker serves every user one slate, users click under the simulator's
/// preferences and click model, the clicks join the users' histories, and the ranker is refit on
/// what it caused: how popularity concentration and coverage drift when a ranker learns from its
/// own exposure.
public struct FeedbackLoop {
    /// One round's exposure and engagement.
    public struct Round: Codable, Equatable, Sendable {
        /// Round number, from 0 (the ranker fit on the original data).
        public var round: Int
        /// Gini coefficient of item exposures (impressions) in this round.
        public var exposureGini: Double
        /// Share of the catalogue shown at least once in this round.
        public var coverage: Double
        /// Clicks per impression in this round.
        public var clickThroughRate: Double
    }

    /// The users' preferences.
    public let truth: GroundTruth
    /// How users examine and click.
    public let clickModel: ClickModel
    /// Items shown per session.
    public let slateSize: Int
    /// The seed of every round's clicks.
    public let seed: UInt64

    /// A loop over `truth`'s users with `clickModel`, `slateSize` items per slate, clicks from `seed`.
    public init(truth: GroundTruth, clickModel: ClickModel, slateSize: Int, seed: UInt64) {
        self.truth = truth
        self.clickModel = clickModel
        self.slateSize = slateSize
        self.seed = seed
    }

    /// Runs `rounds` rounds of `ranker` starting from `histories` (what it was first trained on);
    /// the ranker is refit on the grown histories at the start of every round.
    public func run(ranker: any Recommender, histories: [[Int32]], rounds: Int) throws -> [Round] {
        var histories = histories
        var result: [Round] = []
        for round in 0..<rounds {
            try ranker.fit(TrainingData(numUsers: histories.count, numItems: truth.numItems, sequences: histories))
            let lists = RankedLists(ranker: ranker, histories: histories, depth: slateSize)
            var exposures = [Int](repeating: 0, count: truth.numItems)
            var (clicks, impressions) = (0, 0)
            for user in histories.indices {
                let slate = lists.slate(user: user, size: slateSize)
                var random = SplitMix64(seed: seed, stream: UInt64(round), 0xFEED, UInt64(user))
                let outcome = clickModel.simulate(attractions: truth.attractions(user: user, slate: slate), random: &random)
                for item in slate { exposures[Int(item)] += 1 }
                for (item, clicked) in zip(slate, outcome.clicked) where clicked { histories[user].append(item) }
                clicks += outcome.clicks
                impressions += slate.count
            }
            result.append(Round(round: round, exposureGini: ExposureStatistics.gini(exposures),
                                coverage: ExposureStatistics.coverage(exposures),
                                clickThroughRate: impressions > 0 ? Double(clicks) / Double(impressions) : 0))
        }
        return result
    }
}
