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
        ranked on validation; --set pins hyperparameters), then fits the best configuration once on \
        every interaction of the data set and saves it: the fitted state as safetensors in \
        <store>/models/<dataset>/<model>/, recorded in the store's artefact registry as \
        model/<dataset>/<model> (a new version each time) with its SHA-256, the data set version, \
        the configuration and the training summary. `recommend`, `export` and `simulate` load that \
        file and never train; `llmrec models` lists what was trained.
        """)

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var itemLLMOptions: ItemLLMOptions
    @OptionGroup var semanticIDOptions: SemanticIDOptions
    @OptionGroup var tieBreakOptions: TieBreakOptions

    @Option(name: .long, help: "Name of a data set in the store.")
    var dataset: String = "ml-100k"

    func validate() throws {
        if modelOptions.modelNames.count != 1 { throw ValidationError("train takes one --model") }
    }

    func run() throws {
        let store = try storeOptions.open()
        var experiment = try Experiment(store: store, dataset: dataset, tieBreak: tieBreakOptions.tieBreak)
        let model = modelOptions.modelNames[0]
        let status = StatusLine()
        try itemLLMOptions.attach(to: &experiment, for: [model], store: store, status: status)
        try semanticIDOptions.attach(to: &experiment, for: [model], store: store, status: status)
        let candidates = try ModelRegistry.candidates(for: model, overrides: try modelOptions.overrides(),
                                                      itemLLM: experiment.itemLLM, semanticIDs: experiment.semanticIDs)

        let best = candidates.count > 1
            ? try ModelSelection().choose(candidates: candidates, split: experiment.split) { event in
                switch event {
                case .validated(let index, let count, _, let metric, _):
                    status.update(String(format: "%@ [%d/%d] valid NDCG@10 %.4f", model, index + 1, count, metric),
                                  force: true)
                case .trained(let rung, let index, let count, _, let epochs, let metric, _):
                    status.update(String(format: "%@ rung %d [%d/%d] %d epochs, valid NDCG@10 %.4f", model, rung + 1,
                                         index + 1, count, epochs, metric), force: true)
                case .tested, .seeded: break
                }
            }
            : nil
        let chosenCandidate = best?.candidate ?? candidates[0]
        let chosen = chosenCandidate.config

        let start = Date()
        let recommender = chosenCandidate.make()
        let training = experiment.allInteractionsTrainingData()
        try recommender.fit(training)
        let fitSeconds = Date().timeIntervalSince(start)
        guard let persistent = recommender as? any PersistentRecommender else {
            throw ValidationError("\(model) cannot save its fitted state")
        }
        var facts = ["fitSeconds": String(format: "%.3f", fitSeconds)]
        if let best { facts["validationNDCG@10"] = String(format: "%.5f", best.metric) }
        for (key, value) in recommender.fitSummary.counts { facts["fit." + key] = String(value) }
        let artifact = try TrainedModel.save(persistent, config: chosen, facts: facts, dataset: dataset,
                                             datasetVersion: try store.datasetMetadata(named: dataset)?.version ?? 0,
                                             trainedUsers: training.numUsers, tieBreak: experiment.tieBreak, store: store)
        status.finish("fit \(model) on \(grouped(experiment.dataset.interactions.count)) interactions in \(seconds(fitSeconds))")
        print("trained \(artifact.name) version \(artifact.version): \(artifact.path ?? "") in \(storeOptions.store) "
              + "(\(grouped(Int(artifact.metadata["bytes"] ?? "") ?? 0)) bytes, sha256 \(artifact.metadata["sha256"]?.prefix(12) ?? "")…)")
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
