import Evaluation
import Foundation

/// The simulated users' preferences: for every real user of the data set, the probability that
/// each catalogue item attracts them when they examine it.
///
/// It is built from two things the rankers never see (documented choice, see DESIGN.md's
/// Simulation section):
/// 1. a *truth model* fit on **all** interactions, held-out ones included, whose scores give a
///    softmax-shaped preference: with `m` the user's best truth score and `s` the standard deviation
///    of their truth scores over the items they have not interacted with,
///    `attraction(i) = maxAttraction · exp((score(i) − m) / (temperature · s))`, so the user's
///    favourite unseen item attracts with `maxAttraction` and others decay with their distance from
///    it, in units of the user's own score spread (`temperature` makes the user pickier below 1,
///    more easily pleased above);
/// 2. the user's **held-out later interactions** (what they really consumed after the rankers'
///    training data ends), which attract with at least `heldOutAttraction`.
///
/// Items in the ranker-visible history attract with 0 (they are never shown).
///
/// Caveats: the truth model is one model class; a ranker of the same class (EASE ranker, EASE
/// truth) is favoured by construction, which is why the truth model is configurable and the
/// simulation's direction is checked against the offline evaluation. Attractions are dense,
/// `[numUsers, numItems]` floats, which suits MovieLens-sized catalogues.
public struct GroundTruth: Sendable {
    /// How truth scores become attraction probabilities.
    public struct Options: Codable, Equatable, Sendable {
        /// Attraction of the user's favourite unseen item, in (0, 1].
        public var maxAttraction: Double
        /// Softmax temperature in units of the user's truth-score standard deviation (> 0).
        public var temperature: Double
        /// Least attraction of a held-out later interaction, in [0, 1].
        public var heldOutAttraction: Double

        /// Defaults: favourite item 0.5, temperature 1, held-out items 0.5.
        public init(maxAttraction: Double = 0.5, temperature: Double = 1, heldOutAttraction: Double = 0.5) {
            precondition(maxAttraction > 0 && maxAttraction <= 1, "maxAttraction must be in (0, 1]")
            precondition(temperature > 0, "temperature must be positive")
            precondition(heldOutAttraction >= 0 && heldOutAttraction <= 1, "heldOutAttraction must be in [0, 1]")
            self.maxAttraction = maxAttraction
            self.temperature = temperature
            self.heldOutAttraction = heldOutAttraction
        }
    }

    /// Number of users.
    public let numUsers: Int
    /// Number of catalogue items.
    public let numItems: Int
    /// Row-major `[numUsers, numItems]` attraction probabilities.
    private let attractions: [Float]

    /// Builds the preferences from a fitted `truth` scorer.
    ///
    /// - Parameters:
    ///   - truth: a scorer fit on every interaction (never shown to the rankers).
    ///   - allSequences: every user's full chronological sequence (the truth scorer's input).
    ///   - rankerHistories: what the rankers know of each user; the rest of `allSequences` is held out.
    public init(truth: any RankingScorer, allSequences: [[Int32]], rankerHistories: [[Int32]], options: Options = .init()) {
        precondition(allSequences.count == rankerHistories.count, "one history per user")
        let n = truth.numItems
        var attractions = [Float](repeating: 0, count: allSequences.count * n)
        forEachUserScores(truth, histories: allSequences) { user, scores in
            var seen = [Bool](repeating: false, count: n)
            for item in rankerHistories[user] { seen[Int(item)] = true }
            let unseen = (0..<n).filter { !seen[$0] }
            guard !unseen.isEmpty else { return }
            let best = unseen.reduce(-Double.infinity) { max($0, Double(scores[$1])) }
            let mean = unseen.reduce(0) { $0 + Double(scores[$1]) } / Double(unseen.count)
            let variance = unseen.reduce(0) { $0 + (Double(scores[$1]) - mean) * (Double(scores[$1]) - mean) }
                / Double(unseen.count)
            let scale = options.temperature * (variance > 0 ? variance.squareRoot() : 1)
            for item in unseen {
                attractions[user * n + item] = Float(options.maxAttraction * exp((Double(scores[item]) - best) / scale))
            }
            for item in Set(allSequences[user]) where !seen[Int(item)] {
                let index = user * n + Int(item)
                attractions[index] = max(attractions[index], Float(options.heldOutAttraction))
            }
        }
        numUsers = allSequences.count
        numItems = n
        self.attractions = attractions
    }

    /// Probability that `item` attracts `user` when examined.
    public func attraction(user: Int, item: Int32) -> Double {
        Double(attractions[user * numItems + Int(item)])
    }

    /// The attractions of a slate's items for `user`, in slate order.
    public func attractions(user: Int, slate: [Int32]) -> [Double] {
        slate.map { attraction(user: user, item: $0) }
    }
}
