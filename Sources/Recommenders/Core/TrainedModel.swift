import Datasets
import FeatureStore
import Foundation
import ItemLLM

/// A model recorded by `llmrec train`, refit from its recorded configuration on every interaction of
/// its data set: what `recommend` and `export` serve from.
public struct TrainedModel {
    /// The registry entry (`model/<dataset>/<model>`, version, `config.<name>` metadata).
    public let artifact: Artifact
    /// The data set as stored now.
    public let dataset: InteractionDataset
    /// Its version in the store.
    public let datasetVersion: Int
    /// Each user's chronological history, `[numUsers][len]`: the model's training data and the items
    /// excluded from its lists.
    public let histories: [[Int32]]
    /// The refit model.
    public let recommender: any Recommender

    /// The registry name under which `train` records `model` fit on `dataset`.
    public static func artifactName(dataset: String, model: String) -> String { "model/\(dataset)/\(model.lowercased())" }

    /// Loads the latest trained `model` for `dataset` from `store` and refits it; models that read
    /// item text get the item LLM in `itemLLM` (embeddings cached in `store`).
    /// - Throws: `ModelRegistryError.unknownModel`, `DatasetStoreError.notFound`,
    ///   `TrainedModelError.notTrained`, `ItemLLMError`, or a fitting error.
    public static func load(from store: FeatureStore, dataset name: String, model: String,
                            itemLLM: ModelDirectory? = nil) throws -> TrainedModel {
        guard ModelRegistry.names.contains(model.lowercased()) else { throw ModelRegistryError.unknownModel(model) }
        var experiment = try Experiment(store: store, dataset: name)
        let data = experiment.dataset
        guard let artifact = try store.latestArtifact(named: artifactName(dataset: name, model: model)) else {
            throw TrainedModelError.notTrained(model: model, dataset: name, storePath: store.path)
        }
        var config: [String: String] = [:]
        for (key, value) in artifact.metadata where key.hasPrefix("config.") { config[String(key.dropFirst(7))] = value }
        if ModelRegistry.readsItemText(model) {
            guard let itemLLM else { throw ModelRegistryError.needsItemLLM(model: model) }
            try experiment.attachItemLLM(modelDirectory: itemLLM, store: store)
        }
        let recommender = try ModelRegistry.candidates(for: model, overrides: config, itemLLM: experiment.itemLLM)[0].make()
        let training = experiment.allInteractionsTrainingData()
        try recommender.fit(training)
        return TrainedModel(artifact: artifact, dataset: data,
                            datasetVersion: try store.datasetMetadata(named: name)?.version ?? 0,
                            histories: training.sequences, recommender: recommender)
    }
}

/// No model of that name was trained for the data set.
public enum TrainedModelError: Error, CustomStringConvertible, Equatable {
    case notTrained(model: String, dataset: String, storePath: String)

    public var description: String {
        switch self {
        case .notTrained(let model, let dataset, let storePath):
            return "no trained \(model) for \(dataset) in \(storePath); run `llmrec train --dataset \(dataset) --model \(model)` first"
        }
    }
}
