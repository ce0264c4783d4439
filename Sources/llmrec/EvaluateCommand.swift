import ArgumentParser
import Evaluation
import Foundation
import Recommenders

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate a model under the standard protocol and write its report.",
        discussion: """
        Every grid point of the model is fit on the training part and ranked on validation (full \
        catalogue, history excluded, pessimistic ties); the best validation NDCG@10 wins, is refit on \
        train + validation, and ranked on test; a winner at the edge of EASE's, ItemKNN's or iALS's \
        grid extends it. SASRec, HLLM and TIGER, which stop early on the validation items, are \
        searched by successive halving instead (every configuration 60 epochs, the better half \
        continues; --set on the grid's settings pins one point) and the winner's fit is tested. Prints a markdown table (or the JSON report with \
        --json) and writes <reports>/<dataset>/<model>.json (<model>.<tag>.json with --tag, so that \
        variants of one model, e.g. different --set values, keep separate reports and leaderboard rows).
        """)

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var experimentOptions: ExperimentOptions
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var itemLLMOptions: ItemLLMOptions
    @OptionGroup var semanticIDOptions: SemanticIDOptions

    @Flag(name: .long, help: "Print the JSON report to standard output instead of markdown.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Name this run: the report goes to <model>.<tag>.json and its leaderboard row reads <model>.<tag> (letters, digits, . _ - only).", valueName: "name"))
    var tag: String?

    @Option(name: .long, help: ArgumentHelp("Fit the chosen configuration with this many seeds (its own seed, then the next ones) and report each seed's metrics, their mean and standard deviation; paired tests use seed-averaged per-user metrics. Models that train from a seed only (sasrec, hllm, tiger, tiger-hybrid, ials).", valueName: "n"))
    var seeds: Int = 1

    @Option(name: .long, help: "Worker threads for ranking (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
        if seeds < 1 { throw ValidationError("--seeds must be at least 1") }
        if let tag, tag.isEmpty || !tag.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) {
            throw ValidationError("--tag must be a non-empty name of letters, digits, '.', '_' and '-', got '\(tag)'")
        }
        if json && modelOptions.modelNames.count > 1 { throw ValidationError("--json needs a single --model") }
    }

    func run() throws {
        let models = modelOptions.modelNames
        // Models that read item text or semantic IDs cache the catalogue's embeddings in the store.
        let store = try storeOptions.open(readOnly: !models.contains { ModelRegistry.readsItemText($0) || ModelRegistry.readsSemanticIDs($0) })
        var experiment = try experimentOptions.experiment(in: store)
        try itemLLMOptions.attach(to: &experiment, for: models, store: store, status: StatusLine())
        try semanticIDOptions.attach(to: &experiment, for: models, store: store, status: StatusLine())
        let selection = ModelSelection(evaluator: Evaluator(options: EvaluationOptions(threadCount: threads)))
        for model in models {
            let report = try evaluateAndWrite(model: model, overrides: try modelOptions.overrides(),
                                              experiment: experiment, selection: selection,
                                              reportsDirectory: experimentOptions.reportsDirectory, tag: tag, seeds: seeds)
            if json {
                print(String(decoding: try report.jsonData(), as: UTF8.self))
            } else {
                print(report.markdown())
            }
        }
    }
}

/// Runs model selection for `model` with progress on stderr, writes the report (named by `tag`,
/// `EvaluationReport.runName`) and returns it. Replacing a report of another configuration is said
/// on stderr, with the hint to use `--tag`.
func evaluateAndWrite(model: String, overrides: [String: String], experiment: Experiment,
                      selection: ModelSelection, reportsDirectory: URL, tag: String? = nil,
                      seeds: Int = 1) throws -> EvaluationReport {
    let status = StatusLine()
    var report = try experiment.evaluate(model: model, overrides: overrides, selection: selection,
                                         seeds: seeds) { event in
        switch event {
        case .validated(let index, let count, let config, let metric, let time):
            let settings = config.keys.sorted().map { "\($0)=\(config[$0]!)" }.joined(separator: " ")
            status.update(String(format: "%@ [%d/%d] %@  valid NDCG@10 %.4f  (%@)", model, index + 1, count,
                                 settings, metric, seconds(time)), force: true)
        case .trained(let rung, let index, let count, let config, let epochs, let metric, let time):
            let settings = config.keys.sorted().map { "\($0)=\(config[$0]!)" }.joined(separator: " ")
            status.update(String(format: "%@ rung %d [%d/%d] %@  %d epochs, valid NDCG@10 %.4f  (%@)", model, rung + 1,
                                 index + 1, count, settings, epochs, metric, seconds(time)), force: true)
        case .seeded(let seed, let metric, let time):
            status.update(String(format: "%@ seed %d: test NDCG@10 %.4f  (%@)", model, seed, metric, seconds(time)),
                          force: true)
        case .tested(_, let metric, let time):
            status.update(String(format: "%@ refit on train+valid, test NDCG@10 %.4f  (%@)", model, metric,
                                 seconds(time)), force: true)
        }
    }
    report.tag = tag
    report.tieBreak = experiment.tieBreak.description
    let file = EvaluationReport.fileURL(reportsDirectory: reportsDirectory, dataset: report.dataset, runName: report.runName)
    if let previous = try? EvaluationReport.load(from: file), previous.config != report.config {
        status.finish("\(model): replacing \(file.path), a report of another configuration (use --tag to keep both)")
    }
    try report.write(to: reportsDirectory)
    status.finish("\(report.runName): report written to \(file.path)")
    return report
}
