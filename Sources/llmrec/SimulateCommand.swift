import ArgumentParser
import Evaluation
import Foundation
import Recommenders
import Simulation

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate an A/B test and an interleaving experiment of two rankers on simulated users.",
        discussion: """
        Both models are first evaluated offline under the standard protocol (their reports are written \
        as `evaluate` does), then refit on train + validation. Each simulated user is a real user of the \
        data set whose preferences come from a truth model fit on every interaction (held-out ones \
        included) plus their held-out later interactions: attraction = max-attraction · exp((score − best) \
        / (temperature · user's score spread)). Users see slates under a click model (PBM or cascade). \
        Reports the A/B test per metric (Welch's t-test and a two-sample bootstrap), team-draft \
        interleaving, power curves and users needed, an A/A calibration, and a feedback loop (Gini of \
        exposures and coverage per round). Prints a markdown summary and writes \
        <reports>/<dataset>/simulation-<a>-vs-<b>.json. Everything is reproducible from --seed.
        """)

    @OptionGroup var experimentOptions: ExperimentOptions
    @OptionGroup var storeOptions: StoreOptions

    @Option(name: .customLong("a"), help: "Ranker A: \(ModelRegistry.names.joined(separator: ", ")).")
    var modelA: String

    @Option(name: .customLong("b"), help: "Ranker B: \(ModelRegistry.names.joined(separator: ", ")).")
    var modelB: String

    @Option(name: .long, help: "Truth model fit on all interactions, never shown to the rankers (default ease, l2=300).")
    var truth: String = "ease"

    @Option(name: .long, help: "Items per slate.")
    var slateSize: Int = 10

    @Option(name: .long, help: "Sessions per user in each experiment.")
    var sessions: Int = 1

    @Option(name: .long, help: "Click model: pbm (position-based, several clicks) or cascade (stop at the first click).")
    var clickModel: ClickModel.Kind = .positionBased

    @Option(name: .long, help: "PBM examination decay η: rank r is examined with probability r^-η.")
    var positionDecay: Double = 1

    @Option(name: .long, help: "Probability that a session ends without any examination or click.")
    var noClick: Double = 0.1

    @Option(name: .long, help: "Attraction of each user's favourite unseen item, in (0, 1].")
    var maxAttraction: Double = 0.5

    @Option(name: .long, help: "Softmax temperature of attractions, in units of each user's truth-score standard deviation.")
    var temperature: Double = 1

    @Option(name: .long, help: "Least attraction of a user's held-out later interactions, in [0, 1].")
    var heldOutAttraction: Double = 0.5

    @Option(name: .long, help: "Significance level of every test.")
    var alpha: Double = 0.05

    @Option(name: .long, help: "Target power for the users-needed figures.")
    var power: Double = 0.9

    @Option(name: .long, help: "Seeded runs per power-curve size.")
    var replications: Int = 200

    @Option(name: .long, help: "Seeded A/A runs for the calibration (the share rejected should be about --alpha).")
    var aaRuns: Int = 1_000

    @Option(name: .long, help: "Feedback-loop rounds per ranker (0 skips the loop).")
    var rounds: Int = 5

    @Option(name: .long, help: "Seed of every random draw (user split, coin flips, clicks).")
    var seed: UInt64 = 42

    @Flag(name: .long, help: "Print the JSON report to standard output instead of markdown.")
    var json = false

    func validate() throws {
        for name in [modelA, modelB, truth] where !ModelRegistry.names.contains(name.lowercased()) {
            throw ValidationError("unknown model '\(name)'; known models: \(ModelRegistry.names.joined(separator: ", "))")
        }
        if slateSize < 1 || sessions < 1 || replications < 1 || aaRuns < 1 || rounds < 0 {
            throw ValidationError("--slate-size, --sessions, --replications and --aa-runs must be positive, --rounds non-negative")
        }
        if !(0...1).contains(noClick) || !(0...1).contains(heldOutAttraction) || !(maxAttraction > 0 && maxAttraction <= 1)
            || temperature <= 0 || positionDecay < 0 || !(alpha > 0 && alpha < 1) || !(power > 0 && power < 1) {
            throw ValidationError("probabilities must lie in [0, 1], --temperature > 0, --position-decay >= 0, 0 < --alpha, --power < 1")
        }
    }

    func run() throws {
        let store = try storeOptions.open(readOnly: true)
        let experiment = try Experiment(store: store, dataset: experimentOptions.dataset,
                                        evaluationProtocol: experimentOptions.evaluationProtocol,
                                        tieBreak: experimentOptions.tieBreakOptions.tieBreak)
        let selection = ModelSelection()
        let reports = try [modelA, modelB].map {
            try evaluateAndWrite(model: $0.lowercased(), overrides: [:], experiment: experiment, selection: selection,
                                 reportsDirectory: experimentOptions.reportsDirectory)
        }
        var options = SimulationOptions()
        options.slateSize = slateSize
        options.sessionsPerUser = sessions
        options.clickModel = ClickModel(kind: clickModel, positionDecay: positionDecay, noClickProbability: noClick)
        options.groundTruth = GroundTruth.Options(maxAttraction: maxAttraction, temperature: temperature,
                                                  heldOutAttraction: heldOutAttraction)
        options.truthModel = truth.lowercased()
        if options.truthModel != "ease" { options.truthConfig = [:] }
        options.alpha = alpha
        options.targetPower = power
        options.replications = replications
        options.calibrationRuns = aaRuns
        options.rounds = rounds
        options.seed = seed
        let status = StatusLine()
        let report = try ABSimulation.run(experiment: experiment, a: reports[0], b: reports[1], options: options) {
            status.update($0, force: true)
        }
        let file = try report.write(to: experimentOptions.reportsDirectory)
        status.finish("simulation report written to \(file.path)")
        print(json ? String(decoding: try report.jsonData(), as: UTF8.self) : report.markdown())
    }
}

extension ClickModel.Kind: ExpressibleByArgument {}
