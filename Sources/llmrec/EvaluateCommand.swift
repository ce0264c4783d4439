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
        train + validation, and ranked on test. Prints a markdown table (or the JSON report with \
        --json) and writes <reports>/<dataset>/<model>.json.
        """)

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var experimentOptions: ExperimentOptions
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var itemLLMOptions: ItemLLMOptions
    @OptionGroup var semanticIDOptions: SemanticIDOptions

    @Flag(name: .long, help: "Print the JSON report to standard output instead of markdown.")
    var json = false

    @Option(name: .long, help: "Worker threads for ranking (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
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
                                              reportsDirectory: experimentOptions.reportsDirectory)
            if json {
                print(String(decoding: try report.jsonData(), as: UTF8.self))
            } else {
                print(report.markdown())
            }
        }
    }
}

/// Runs model selection for `model` with progress on stderr, writes the report and returns it.
func evaluateAndWrite(model: String, overrides: [String: String], experiment: Experiment,
                      selection: ModelSelection, reportsDirectory: URL) throws -> EvaluationReport {
    let status = StatusLine()
    let report = try experiment.evaluate(model: model, overrides: overrides, selection: selection) { event in
        switch event {
        case .validated(let index, let count, let config, let metric, let time):
            let settings = config.keys.sorted().map { "\($0)=\(config[$0]!)" }.joined(separator: " ")
            status.update(String(format: "%@ [%d/%d] %@  valid NDCG@10 %.4f  (%@)", model, index + 1, count,
                                 settings, metric, seconds(time)), force: true)
        case .tested(_, let metric, let time):
            status.update(String(format: "%@ refit on train+valid, test NDCG@10 %.4f  (%@)", model, metric,
                                 seconds(time)), force: true)
        }
    }
    let file = try report.write(to: reportsDirectory)
    status.finish("\(model): report written to \(file.path)")
    return report
}
