import SeededRandom
/// Simulated users facing two rankers: A/B tests and team-draft interleaving over precomputed
/// ranked lists, so each seeded run only draws user assignments, coin flips and clicks.
///
/// Every run is reproducible from `seed` and the run number: the A/B split hashes each user with a
/// salt derived from them (`arm(of:run:)`), and each user's clicks come from their own stream.
public struct Simulator: Sendable {
    /// The users' preferences.
    public let truth: GroundTruth
    /// How users examine and click.
    public let clickModel: ClickModel
    /// Items shown per session.
    public let slateSize: Int
    /// Sessions per user per experiment.
    public let sessionsPerUser: Int
    /// Ranker A's lists (at least `slateSize` deep for interleaving to be fair).
    public let listsA: RankedLists
    /// Ranker B's lists.
    public let listsB: RankedLists
    /// The seed every run derives from.
    public let seed: UInt64
    /// Confidence level of every interval.
    public let confidence: Double

    /// A simulator of `listsA` against `listsB` (pass the same lists twice for an A/A test).
    public init(truth: GroundTruth, clickModel: ClickModel, slateSize: Int, sessionsPerUser: Int,
                listsA: RankedLists, listsB: RankedLists, seed: UInt64, confidence: Double = 0.95) {
        precondition(slateSize > 0 && sessionsPerUser > 0, "slate size and sessions must be positive")
        self.truth = truth
        self.clickModel = clickModel
        self.slateSize = slateSize
        self.sessionsPerUser = sessionsPerUser
        self.listsA = listsA
        self.listsB = listsB
        self.seed = seed
        self.confidence = confidence
    }

    /// Draw purposes, so streams for different decisions never coincide.
    private enum Purpose: UInt64 {
        case assignment = 1, abClicks, interleavingClicks, userSample
    }

    /// The A/B arm of `user` in run `run`: a stable hash of the user and a salt from the seed and
    /// run, so the same user lands in the same arm whenever the run is repeated.
    public func arm(of user: Int, run: UInt64) -> TeamDraftInterleaving.Team {
        let salt = SplitMix64.mix(seed ^ SplitMix64.mix(run &+ Purpose.assignment.rawValue))
        return SplitMix64.mix(UInt64(user) ^ salt) & 1 == 0 ? .a : .b
    }

    /// `count` distinct users drawn without replacement for run `run` (all users when `count`
    /// reaches the population), in ascending order.
    public func sampleUsers(count: Int, run: UInt64) -> [Int] {
        guard count < truth.numUsers else { return Array(0..<truth.numUsers) }
        var random = SplitMix64(seed: seed, stream: run, Purpose.userSample.rawValue)
        var users = Array(0..<truth.numUsers)
        for i in 0..<count { users.swapAt(i, i + random.nextIndex(below: users.count - i)) }
        return users.prefix(count).sorted()
    }

    /// One A/B test on `users` in run `run`: each user sees their arm's slate `sessionsPerUser`
    /// times; per user, each metric is averaged over their sessions.
    public func abTest(users: [Int], run: UInt64) -> ABTestResult {
        var perUser = Dictionary(uniqueKeysWithValues: SessionMetric.allCases.map { ($0, (a: [Double](), b: [Double]())) })
        for user in users {
            let team = arm(of: user, run: run)
            let slate = (team == .a ? listsA : listsB).slate(user: user, size: slateSize)
            let attractions = truth.attractions(user: user, slate: slate)
            var random = SplitMix64(seed: seed, stream: run, Purpose.abClicks.rawValue, UInt64(user))
            var sums = [Double](repeating: 0, count: SessionMetric.allCases.count)
            for _ in 0..<sessionsPerUser {
                let outcome = clickModel.simulate(attractions: attractions, random: &random)
                for (index, metric) in SessionMetric.allCases.enumerated() { sums[index] += outcome.value(of: metric) }
            }
            for (index, metric) in SessionMetric.allCases.enumerated() {
                let mean = sums[index] / Double(sessionsPerUser)
                if team == .a { perUser[metric]!.a.append(mean) } else { perUser[metric]!.b.append(mean) }
            }
        }
        return ABTestResult(perUser: perUser, confidence: confidence)
    }

    /// One team-draft interleaving experiment on `users` in run `run`: every user sees interleaved
    /// slates of A and B `sessionsPerUser` times.
    public func interleaving(users: [Int], run: UInt64) -> InterleavingResult {
        var shareA: [Double] = [], shareB: [Double] = []
        var (winsA, winsB, ties) = (0, 0, 0)
        for user in users {
            var random = SplitMix64(seed: seed, stream: run, Purpose.interleavingClicks.rawValue, UInt64(user))
            var (userA, userB) = (0, 0)
            for _ in 0..<sessionsPerUser {
                let slate = TeamDraftInterleaving.interleave(listsA.lists[user], listsB.lists[user], size: slateSize,
                                                             random: &random)
                let outcome = clickModel.simulate(attractions: truth.attractions(user: user, slate: slate.items),
                                                  random: &random)
                switch TeamDraftInterleaving.credit(clicked: outcome.clicked, teams: slate.teams) {
                case 1: userA += 1
                case -1: userB += 1
                default: ties += 1
                }
            }
            winsA += userA
            winsB += userB
            shareA.append(Double(userA) / Double(sessionsPerUser))
            shareB.append(Double(userB) / Double(sessionsPerUser))
        }
        return InterleavingResult(winShareA: shareA, winShareB: shareB, winsA: winsA, winsB: winsB, ties: ties,
                                  confidence: confidence)
    }
}
