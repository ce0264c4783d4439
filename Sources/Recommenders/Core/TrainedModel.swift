#if canImport(Glibc)
import Glibc
#endif
import Datasets
import FeatureStore
import Foundation
import ItemLLM
import NeuralNet

/// A model fitted once by `llmrec train` and saved, served by `recommend`, `export` and `simulate`
/// without any training.
///
/// The fitted state (`PersistentRecommender.fittedState()`) is a safetensors file inside the store
/// directory, `models/<dataset>/<model>/<sha256 prefix>.safetensors`: a file rather than an LMDB
/// value because a dense model can weigh hundreds of megabytes (EASE on 12,000 items: 576 MB),
/// which would grow the store's map and its copy-on-write pages on every train, while a file is
/// written once, read once and copied with the store folder (the Kubernetes pods share that
/// volume). The artefact registry's record (`model/<dataset>/<model>`, versioned) names the file
/// and holds its SHA-256, the data set version it was trained on, the tie rule of its sequences,
/// the model format version, the configuration and the training summary.
public struct TrainedModel {
    /// The registry entry.
    public let artifact: Artifact
    /// The data set as stored now.
    public let dataset: InteractionDataset
    /// Its version in the store now.
    public let datasetVersion: Int
    /// Each user's chronological history now, `[numUsers][len]`, same-time interactions ordered by
    /// the tie rule the model was trained with: what the model scores from and the items excluded
    /// from its lists.
    public let histories: [[Int32]]
    /// The restored model.
    public let recommender: any Recommender
    /// The saved file.
    public let modelFile: URL
    /// Its SHA-256 (checked against the registry on load).
    public let modelSHA256: String
    /// Users added since training (served from their histories; only with `allowStale`).
    public let usersNewSinceTraining: Int

    /// The version of the saved-model format this llmrec writes and reads.
    public static let formatVersion = 1

    /// The registry name under which `train` records `model` fit on `dataset`.
    public static func artifactName(dataset: String, model: String) -> String { "model/\(dataset)/\(model.lowercased())" }

    /// Saves a fitted `recommender` of `dataset` (version `datasetVersion`) and registers it.
    ///
    /// - Parameters:
    ///   - config: the configuration it was built from (recorded as `config.<name>`).
    ///   - facts: more registry metadata (fit seconds, validation NDCG@10 ...).
    ///   - tieBreak: the tie rule of the sequences it was fit on (recorded as `tieBreak`; `load`
    ///     orders the served histories by it).
    /// - Returns: the registry record. The file is written under a temporary name and renamed
    ///   before the record is registered, so a record always names a complete file.
    @discardableResult
    public static func save(_ recommender: any PersistentRecommender, config: [String: String], facts: [String: String],
                            dataset: String, datasetVersion: Int, trainedUsers: Int, tieBreak: TieBreak,
                            store: FeatureStore) throws -> Artifact {
        var state = try recommender.fittedState()
        state.metadata["llmrec.model"] = recommender.name
        let bytes = try Safetensors.encode(state)
        let digest = SHA256.hexDigest(of: bytes)
        let relativePath = "models/\(dataset)/\(recommender.name)/\(digest.prefix(16)).safetensors"
        let file = URL(fileURLWithPath: store.path).appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = file.appendingPathExtension("partial")
        try bytes.write(to: temporary)
        guard rename(temporary.path, file.path) == 0 else {  // atomic, replacing an identical earlier save
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
        }
        var metadata = config.reduce(into: facts) { $0["config." + $1.key] = $1.value }
        metadata["model"] = recommender.name
        metadata["dataset"] = dataset
        metadata["datasetVersion"] = String(datasetVersion)
        metadata["trainedUsers"] = String(trainedUsers)
        metadata["tieBreak"] = tieBreak.description
        metadata["formatVersion"] = String(formatVersion)
        metadata["sha256"] = digest
        metadata["bytes"] = String(bytes.count)
        return try store.write {
            try $0.registerArtifact(named: artifactName(dataset: dataset, model: recommender.name), path: relativePath,
                                    metadata: metadata)
        }
    }

    /// Loads the latest trained `model` of `dataset` from `store` and restores it; no training.
    /// Models that read item text get the item LLM in `itemLLM` (embeddings cached in `store`), over
    /// item texts written with the template recorded at training (`ModelRegistry.itemTemplateKey`;
    /// the one derived from the items' fields for a model saved before templates were recorded).
    /// Histories follow the recorded tie rule (`TieBreak.itemID` for a model saved before tie rules
    /// were recorded: all were trained under it).
    ///
    /// - Parameter allowStale: serve a model trained on an older version of the data set; users
    ///   added since are served from their histories (every model here scores from the history it
    ///   is given). A catalogue that grew cannot be served either way.
    /// - Throws: `TrainedModelError` (not trained, no saved weights, missing or corrupt file, stale
    ///   data set, grown catalogue), `ModelRegistryError`, `SafetensorsError` for a file of another
    ///   model type or format, `ItemLLMError`.
    public static func load(from store: FeatureStore, dataset name: String, model: String,
                            itemLLM: ModelDirectory? = nil, allowStale: Bool = false) throws -> TrainedModel {
        let model = model.lowercased()
        guard ModelRegistry.names.contains(model) else { throw ModelRegistryError.unknownModel(model) }
        var experiment = try Experiment(store: store, dataset: name)
        guard let artifact = try store.latestArtifact(named: artifactName(dataset: name, model: model)) else {
            throw TrainedModelError.notTrained(model: model, dataset: name, storePath: store.path)
        }
        guard artifact.metadata["formatVersion"] == String(formatVersion), let relativePath = artifact.path,
              let recordedDigest = artifact.metadata["sha256"] else {
            throw TrainedModelError.incompatible(model: model, dataset: name,
                                                 found: artifact.metadata["formatVersion"].map { "format version \($0)" } ?? "no saved weights")
        }
        let file = URL(fileURLWithPath: store.path).appendingPathComponent(relativePath)
        guard let bytes = FileManager.default.contents(atPath: file.path) else {
            throw TrainedModelError.missingFile(path: file.path, model: model, dataset: name)
        }
        let digest = SHA256.hexDigest(of: bytes)
        guard digest == recordedDigest else {
            throw TrainedModelError.checksumMismatch(path: file.path, model: model, dataset: name)
        }
        let datasetVersion = try store.datasetMetadata(named: name)?.version ?? 0
        let trainedVersion = Int(artifact.metadata["datasetVersion"] ?? "") ?? 0
        let data = experiment.dataset
        let trainedUsers = Int(artifact.metadata["trainedUsers"] ?? "") ?? data.numUsers
        if trainedVersion != datasetVersion, !allowStale {
            throw TrainedModelError.stale(model: model, dataset: name, trainedVersion: trainedVersion, currentVersion: datasetVersion)
        }
        var config: [String: String] = [:]
        for (key, value) in artifact.metadata where key.hasPrefix("config.") { config[String(key.dropFirst(7))] = value }
        if ModelRegistry.readsItemText(model) {
            guard let itemLLM else { throw ModelRegistryError.needsItemLLM(model: model) }
            try experiment.attachItemLLM(modelDirectory: itemLLM, store: store,
                                         itemTemplate: config[ModelRegistry.itemTemplateKey])
        }
        guard let recommender = try ModelRegistry.candidates(for: model, overrides: config, itemLLM: experiment.itemLLM)[0].make()
            as? any PersistentRecommender else {
            throw TrainedModelError.incompatible(model: model, dataset: name, found: "a model type that cannot be restored")
        }
        let state = try Safetensors.decode(bytes)
        guard state.metadata["llmrec.model"] == model else {
            throw TrainedModelError.incompatible(model: model, dataset: name,
                                                 found: "a saved \(state.metadata["llmrec.model"] ?? "unknown") model in \(file.path)")
        }
        try recommender.restoreFittedState(state)
        guard recommender.numItems == data.numItems else {
            throw TrainedModelError.catalogueChanged(model: model, dataset: name, trainedItems: recommender.numItems,
                                                     currentItems: data.numItems)
        }
        guard let tieBreak = artifact.metadata["tieBreak"].map({ TieBreak($0) }) ?? .itemID else {
            throw TrainedModelError.incompatible(model: model, dataset: name,
                                                 found: "the unknown tie rule \(artifact.metadata["tieBreak"] ?? "")")
        }
        return TrainedModel(artifact: artifact, dataset: data, datasetVersion: datasetVersion,
                            histories: data.chronologicalSequences(tieBreak: tieBreak), recommender: recommender,
                            modelFile: file, modelSHA256: digest, usersNewSinceTraining: max(0, data.numUsers - trainedUsers))
    }
}

/// Why a trained model cannot be served, with what to do about it.
public enum TrainedModelError: Error, CustomStringConvertible, Equatable {
    case notTrained(model: String, dataset: String, storePath: String)
    case incompatible(model: String, dataset: String, found: String)
    case missingFile(path: String, model: String, dataset: String)
    case checksumMismatch(path: String, model: String, dataset: String)
    case stale(model: String, dataset: String, trainedVersion: Int, currentVersion: Int)
    case catalogueChanged(model: String, dataset: String, trainedItems: Int, currentItems: Int)

    public var description: String {
        let again = { (model: String, dataset: String) in "run `llmrec train --dataset \(dataset) --model \(model)`" }
        switch self {
        case .notTrained(let model, let dataset, let storePath):
            return "no trained \(model) for \(dataset) in \(storePath); \(again(model, dataset)) first"
        case .incompatible(let model, let dataset, let found):
            return "the trained \(model) for \(dataset) cannot be loaded by this llmrec (model format \(TrainedModel.formatVersion)): found \(found); \(again(model, dataset)) again"
        case .missingFile(let path, let model, let dataset):
            return "\(path): the saved \(model) model is missing; \(again(model, dataset)) again"
        case .checksumMismatch(let path, let model, let dataset):
            return "\(path): the file does not match the SHA-256 recorded when it was trained (corrupt or changed); \(again(model, dataset)) again"
        case .stale(let model, let dataset, let trained, let current):
            return "the trained \(model) was fit on \(dataset) v\(trained), the store now holds v\(current); \(again(model, dataset)) again, or pass --allow-stale-model to serve it anyway"
        case .catalogueChanged(let model, let dataset, let trained, let current):
            return "the trained \(model) scores \(trained) items, \(dataset) now has \(current); \(again(model, dataset)) again"
        }
    }
}
