import Datasets
import Dispatch
import Evaluation
import Recommenders

/// The whole simulation of two rankers on one data set: what `llmrec simulate` and notebook 03 run.
///
/// 1. The rankers (the models and configurations of two offline evaluation reports) are fit on the
///    split's train + validation part; the truth model is fit on every interaction (`GroundTruth`).
/// 2. Each ranker's top `2 × slateSize` is computed once per user.
/// 3. The A/B test and interleaving run on every user (run 0); the A/B test reports every
///    `SessionMetric` with Welch's interval and a two-sample bootstrap interval.
/// 4. Power: normal-approximation curves from the observed effects, checked by simulated power
///    (`replications` seeded runs per size); users needed for `targetPower`.
/// 5. A/A calibration: ranker A against itself, `calibrationRuns` seeded runs on every user.
/// 6. Feedback loop: `rounds` rounds per ranker, refit on the clicks it caused.
public enum ABSimulation {
    /// Runs the simulation of `a`'s ranker against `b`'s on `experiment`; `progress` gets one
    /// line per phase.
    public static func run(experiment: Experiment, a: EvaluationReport, b: EvaluationReport,
                           options: SimulationOptions = .init(),
                           progress: ((String) -> Void)? = nil) throws -> SimulationReport {
        var timings: [String: Double] = [:]
        var phaseStart = DispatchTime.now().uptimeNanoseconds
        func finishPhase(_ name: String, _ message: String) {
            let now = DispatchTime.now().uptimeNanoseconds
            timings[name] = Double(now - phaseStart) / 1e9
            phaseStart = now
            progress?(message)
        }
        let split = experiment.split
        let histories = split.trainAndValidation
        let users = histories.count

        let truthModel = try ModelRegistry.candidates(for: options.truthModel, overrides: options.truthConfig)[0].make()
        let allInteractions = experiment.allInteractionsTrainingData()
        try truthModel.fit(allInteractions)
        let truth = GroundTruth(truth: truthModel, allSequences: allInteractions.sequences,
                                rankerHistories: histories, options: options.groundTruth)
        finishPhase("truth", "truth model \(options.truthModel) fit on all interactions")

        let depth = 2 * options.slateSize
        let listsA = try rankedLists(for: a, split: split, depth: depth)
        let listsB = try rankedLists(for: b, split: split, depth: depth)
        finishPhase("rankers", "rankers \(a.model) and \(b.model) fit on train + validation, slates ranked")

        let simulator = Simulator(truth: truth, clickModel: options.clickModel, slateSize: options.slateSize,
                                  sessionsPerUser: options.sessionsPerUser, listsA: listsA, listsB: listsB,
                                  seed: options.seed)
        let everyone = Array(0..<users)
        let abTest = simulator.abTest(users: everyone, run: 0)
        let interleaving = simulator.interleaving(users: everyone, run: 0)
        finishPhase("experiments", "A/B test and interleaving on \(users) users")

        let abPower = PowerAnalysis(abTest: abTest.primary), interleavingPower = PowerAnalysis(interleaving: interleaving)
        let curve = options.curveSizes(population: users).map { size in
            let simulated = simulator.rejectionRates(usersPerRun: size, replications: options.replications,
                                                     alpha: options.alpha, direction: abTest.primary.difference)
            return SimulationReport.PowerPoint(
                users: size, abAnalytic: abPower.power(users: size, alpha: options.alpha),
                interleavingAnalytic: interleavingPower.power(users: size, alpha: options.alpha),
                abSimulated: simulated.abTest, interleavingSimulated: simulated.interleaving)
        }
        finishPhase("power", "power curves at \(curve.count) sizes, \(options.replications) runs each")

        let aa = Simulator(truth: truth, clickModel: options.clickModel, slateSize: options.slateSize,
                           sessionsPerUser: options.sessionsPerUser, listsA: listsA, listsB: listsA, seed: options.seed)
        let calibration = aa.rejectionRates(usersPerRun: users, replications: options.calibrationRuns, alpha: options.alpha)
        finishPhase("calibration", "A/A calibration: \(options.calibrationRuns) runs")

        let loop = FeedbackLoop(truth: truth, clickModel: options.clickModel, slateSize: options.slateSize,
                                seed: options.seed)
        let feedbackA = try loop.run(ranker: try makeRanker(a), histories: histories, rounds: options.rounds)
        let feedbackB = try loop.run(ranker: try makeRanker(b), histories: histories, rounds: options.rounds)
        finishPhase("feedbackLoop", "feedback loop: \(options.rounds) rounds per ranker")

        let primary = abTest.primary
        let (offlineA, offlineB) = (a.testMetrics[MetricKey.ndcg(at: 10)] ?? .nan, b.testMetrics[MetricKey.ndcg(at: 10)] ?? .nan)
        return SimulationReport(
            dataset: experiment.dataset.name, protocolName: split.protocolName,
            a: ranker(a, lists: listsA, simulator: simulator), b: ranker(b, lists: listsB, simulator: simulator),
            options: options, users: users,
            abTest: .init(usersA: abTest.usersA, usersB: abTest.usersB,
                          metrics: SessionMetric.allCases.map { comparison(abTest, $0, seed: options.seed) }),
            interleaving: .init(users: interleaving.users, winsA: interleaving.winsA, winsB: interleaving.winsB,
                                ties: interleaving.ties, preferenceForA: interleaving.preferenceForA,
                                delta: interleaving.test.difference.mean, interval: interleaving.test.confidenceInterval,
                                pValue: interleaving.test.pValue),
            power: .init(alpha: options.alpha, targetPower: options.targetPower, abTest: abPower,
                         interleaving: interleavingPower,
                         abUsersNeeded: abPower.usersNeeded(power: options.targetPower, alpha: options.alpha),
                         interleavingUsersNeeded: interleavingPower.usersNeeded(power: options.targetPower, alpha: options.alpha),
                         curve: curve),
            calibration: .init(model: a.model, alpha: options.alpha, rejections: calibration),
            feedbackA: feedbackA, feedbackB: feedbackB,
            simulatedWinner: primary.pValue < options.alpha ? (primary.difference > 0 ? "a" : "b") : "none",
            offlineWinner: offlineA == offlineB ? "none" : (offlineA > offlineB ? "a" : "b"),
            timings: timings)
    }

    /// A fresh, unfit model of `report`'s model and configuration.
    private static func makeRanker(_ report: EvaluationReport) throws -> any Recommender {
        try ModelRegistry.candidates(for: report.model, overrides: report.config)[0].make()
    }

    /// `report`'s ranker fit on train + validation, ranking `depth` items per user.
    private static func rankedLists(for report: EvaluationReport, split: Split, depth: Int) throws -> RankedLists {
        let model = try makeRanker(report)
        try model.fit(TrainingData(numUsers: split.numUsers, numItems: split.numItems, sequences: split.trainAndValidation))
        return RankedLists(ranker: model, histories: split.trainAndValidation, depth: depth)
    }

    /// The report's description of one ranker, with its exact expected click-through rate.
    private static func ranker(_ report: EvaluationReport, lists: RankedLists, simulator: Simulator) -> SimulationReport.Ranker {
        let size = simulator.slateSize
        let expected = lists.lists.indices.reduce(0.0) { total, user in
            let attractions = simulator.truth.attractions(user: user, slate: lists.slate(user: user, size: size))
            return total + simulator.clickModel.clickProbabilities(attractions: attractions).reduce(0, +) / Double(size)
        } / Double(max(lists.lists.count, 1))
        return .init(model: report.model, config: report.config,
                     offlineNDCG10: report.testMetrics[MetricKey.ndcg(at: 10)] ?? .nan, expectedClickThroughRate: expected)
    }

    /// One metric's arms, Welch difference and bootstrap difference.
    private static func comparison(_ result: ABTestResult, _ metric: SessionMetric, seed: UInt64) -> SimulationReport.MetricComparison {
        let test = result.tests[metric]!, values = result.values[metric]!
        let bootstrap = TwoSampleBootstrap(values.a, values.b, confidence: test.confidenceInterval.confidence, seed: seed)
        return .init(metric: metric.rawValue, meanA: test.a.mean, intervalA: test.a.interval, meanB: test.b.mean,
                     intervalB: test.b.interval, difference: test.difference, interval: test.confidenceInterval,
                     pValue: test.pValue, bootstrapInterval: bootstrap.confidenceInterval,
                     bootstrapPValue: bootstrap.pValue)
    }
}
