import ArgumentParser
import Datasets
import Evaluation
import Foundation
import Recommenders

struct PipelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "The whole pipeline on one dump: ingest, evaluate every model, print the leaderboard.",
        discussion: """
        What `make run` runs on MovieLens-100K: ingest DATA into the store (a no-op when already \
        there), build the catalogue's semantic IDs (residual k-means over the item LLM's \
        embeddings; quality report in <reports>/<dataset>/semantic-ids.json), evaluate every model \
        under the standard protocol (reports in <reports>/<dataset>/), then print the leaderboard \
        and write it, with an SVG chart, next to the reports.
        """)

    @Option(name: .long, help: "Raw dump to ingest (file or directory).")
    var data: String = "Data/ml-100k"

    @Option(name: .long, help: "Comma-separated models to evaluate (default: all but tiger-hybrid, which trains a second TIGER, and without tiger under --no-semantic-ids).")
    var models: String?

    @Option(name: .customLong("set"), parsing: .singleValue,
            help: ArgumentHelp("Pin one model's hyperparameter (repeatable), e.g. --set tiger.maxEpochs=20 (`make run` caps TIGER's epochs this way to stay within its time budget).",
                               valueName: "model.name=value"))
    var settings: [String] = []

    @Option(name: .long, help: "Worker threads for ranking (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(name: .customLong("semantic-ids"), inversion: .prefixedNo, help: "Build the semantic IDs (the default settings of `llmrec semantic-ids`).")
    var semanticIDs = true

    @OptionGroup var experimentOptions: ExperimentOptions
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var itemLLMOptions: ItemLLMOptions

    func validate() throws {
        for model in modelNames where !ModelRegistry.names.contains(model) {
            throw ValidationError("unknown model '\(model)'; known models: \(ModelRegistry.names.joined(separator: ", "))")
        }
        _ = try overrides()
        if !semanticIDs, let model = modelNames.first(where: ModelRegistry.readsSemanticIDs) {
            throw ValidationError("\(model) decodes semantic IDs: drop --no-semantic-ids or leave \(model) out of --models")
        }
    }

    /// `--set` as per-model overrides.
    private func overrides() throws -> [String: [String: String]] {
        var result: [String: [String: String]] = [:]
        for setting in settings {
            let parts = setting.split(separator: "=", maxSplits: 1).map(String.init)
            let name = parts[0].split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2, name.count == 2, ModelRegistry.names.contains(name[0].lowercased()), !name[1].isEmpty else {
                throw ValidationError("--set expects model.name=value with a known model, got '\(setting)'")
            }
            result[name[0].lowercased(), default: [:]][name[1]] = parts[1]
        }
        return result
    }

    private var modelNames: [String] {
        guard let models else {
            return ModelRegistry.names.filter { $0 != TIGER.hybridModelName && (semanticIDs || !ModelRegistry.readsSemanticIDs($0)) }
        }
        return models.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    }

    func run() throws {
        let status = StatusLine()
        let store = try storeOptions.open()
        let summary = try ingestDataset(at: data, name: experimentOptions.dataset, into: store) { progress in
            status.update(String(format: "ingest: %3.0f%%", progress.fraction * 100))
        }
        let meta = summary.metadata
        status.finish("\(meta.name) v\(meta.version): \(grouped(meta.userCount)) users, \(grouped(meta.itemCount)) items, "
                      + "\(grouped(meta.interactionCount)) interactions" + (summary.changed ? " (ingested)" : " (already in the store)"))

        var experiment = try experimentOptions.experiment(in: store)

        try itemLLMOptions.attach(to: &experiment, for: modelNames, always: semanticIDs, store: store, status: status)
        if semanticIDs {
            let built = try prepareSemanticIDs(experiment: experiment, store: store, configuration: .init(), status: status)
            experiment.semanticIDs = built.assignment
            let embeddings = experiment.itemLLM!.embeddings
            let report = built.tokenizer.qualityReport(name: "llmrec rkmeans", embeddings: embeddings.values, dim: embeddings.dim)
            let file = try writeSemanticIDReport([report], dataset: experiment.dataset.name, artifact: built.artifact,
                                                 reportsDirectory: experimentOptions.reportsDirectory)
            status.finish(String(format: "semantic IDs: collision rate before de-duplication %.3f, text neighbours sharing code 1: %.3f (chance %.4f); report in %@",
                                 report.collisionRateBeforeDeduplication ?? 0, report.neighbourhood[0].share,
                                 report.neighbourhood[0].chance, file.path))
        }
        let selection = ModelSelection(evaluator: Evaluator(options: EvaluationOptions(threadCount: threads)))
        let overrides = try overrides()
        for model in modelNames {
            _ = try evaluateAndWrite(model: model, overrides: overrides[model] ?? [:], experiment: experiment, selection: selection,
                                     reportsDirectory: experimentOptions.reportsDirectory)
        }

        let folder = experimentOptions.reportFolder
        let markdown = try renderLeaderboard(experimentOptions: experimentOptions,
                                             svgPath: folder.appendingPathComponent("leaderboard.svg").path)
        try markdown.write(to: folder.appendingPathComponent("leaderboard.md"), atomically: true, encoding: .utf8)
        print(markdown)
        status.finish("leaderboard written to \(folder.path)/leaderboard.md and leaderboard.svg")
    }
}
