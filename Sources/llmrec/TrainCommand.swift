import ArgumentParser
import Evaluation
import FeatureStore
import Foundation
import Recommenders

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Choose a model's hyperparameters on validation and fit it on all interactions.",
        discussion: """
        Runs the validation half of the standard protocol (every grid point fit on the training part, \
        ranked on validation; --set pins hyperparameters), then fits the best configuration on every \
        interaction of the data set and records it in the store's artefact registry as \
        model/<dataset>/<model> (a new version each time) for `llmrec recommend`. The collaborative-\
        filtering baselines refit from the recorded configuration in about a second, so their weights \
        are not written to disk.
        """)

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var itemLLMOptions: ItemLLMOptions

    @Option(name: .long, help: "Name of a data set in the store.")
    var dataset: String = "ml-100k"

    func validate() throws {
        if modelOptions.modelNames.count != 1 { throw ValidationError("train takes one --model") }
    }

    func run() throws {
        let store = try storeOptions.open()
        var experiment = try Experiment(store: store, dataset: dataset)
        let model = modelOptions.modelNames[0]
        let status = StatusLine()
        try itemLLMOptions.attach(to: &experiment, for: [model], store: store, status: status)
        let candidates = try ModelRegistry.candidates(for: model, overrides: try modelOptions.overrides(),
                                                      itemLLM: experiment.itemLLM)

        let validation = candidates.count > 1
            ? try ModelSelection().selectOnValidation(candidates: candidates, split: experiment.split) { event in
                if case .validated(let index, let count, _, let metric, _) = event {
                    status.update(String(format: "%@ [%d/%d] valid NDCG@10 %.4f", model, index + 1, count, metric),
                                  force: true)
                }
            }
            : nil
        let chosen = validation?.chosen.config ?? candidates[0].config
        let best = validation.map { (config: chosen, metric: $0.chosenResult.metrics[MetricKey.ndcg(at: 10)] ?? .nan) }

        let start = Date()
        let recommender = try ModelRegistry.candidates(for: model, overrides: chosen, itemLLM: experiment.itemLLM)[0].make()
        try recommender.fit(experiment.allInteractionsTrainingData())
        let fitSeconds = Date().timeIntervalSince(start)

        var metadata = chosen.mapKeys { "config.\($0)" }
        metadata["model"] = model
        metadata["dataset"] = dataset
        metadata["datasetVersion"] = String(try store.datasetMetadata(named: dataset)?.version ?? 0)
        metadata["fitSeconds"] = String(format: "%.3f", fitSeconds)
        if let best { metadata["validationNDCG@10"] = String(format: "%.5f", best.metric) }
        let artifact = try store.write { try $0.registerArtifact(named: TrainedModel.artifactName(dataset: dataset, model: model),
                                                                  metadata: metadata) }
        status.finish("fit \(model) on \(grouped(experiment.dataset.interactions.count)) interactions in \(seconds(fitSeconds))")
        print("trained \(artifact.name) version \(artifact.version)")
        for key in chosen.keys.sorted() { print("  \(key) = \(chosen[key]!)") }
        if let best { print(String(format: "  validation NDCG@10 = %.4f", best.metric)) }
    }
}

extension Dictionary where Key == String {
    /// The same values under transformed keys.
    func mapKeys(_ transform: (String) -> String) -> [String: Value] {
        Dictionary<String, Value>(uniqueKeysWithValues: map { (transform($0.key), $0.value) })
    }
}
