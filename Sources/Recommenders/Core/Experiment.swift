import Datasets
import Evaluation
import FeatureStore
import ItemLLM
import SemanticIDs

/// The two offline protocols of DESIGN.md.
public enum EvaluationProtocol: String, CaseIterable, Sendable {
    /// Last item test, second-to-last validation, the rest train (per user, chronological).
    case leaveOneOut = "leave-one-out"
    /// Global cuts at the 80% and 90% timestamp quantiles.
    case temporal

    /// Splits `dataset` under this protocol, ordering same-time interactions by `tieBreak`.
    public func split(_ dataset: InteractionDataset, tieBreak: TieBreak = .default) -> Split {
        switch self {
        case .leaveOneOut: return leaveOneOutSplit(dataset, tieBreak: tieBreak)
        case .temporal: return temporalSplit(dataset, tieBreak: tieBreak)
        }
    }
}

/// One data set from the store, split under one protocol, ready to evaluate any number of models
/// on exactly the same cases (so their reports can be compared pairwise).
public struct Experiment {
    /// The data set as stored.
    public let dataset: InteractionDataset
    /// Its split under `evaluationProtocol` (the cold-start variant after `coldStart`).
    public private(set) var split: Split
    /// How it was split.
    public let evaluationProtocol: EvaluationProtocol
    /// How a user's same-time interactions are ordered, in the split and in
    /// `allInteractionsTrainingData`.
    public let tieBreak: TieBreak
    /// Items held out of training by `coldStart` (empty otherwise).
    public private(set) var coldItems: Set<Int32> = []
    /// The data set name reports carry (and are filed under): the data set's own name, with a
    /// `+cold-start` suffix after `coldStart`.
    public private(set) var reportName: String
    /// The item LLM over this data set's catalogue, for models that read item text (HLLM).
    public var itemLLM: ItemLLMCatalogue?
    /// The catalogue's semantic IDs, for models that decode them (TIGER).
    public var semanticIDs: SemanticIDAssignment?

    /// Splits `dataset` under `evaluationProtocol`, ordering same-time interactions by `tieBreak`.
    public init(dataset: InteractionDataset, evaluationProtocol: EvaluationProtocol = .leaveOneOut,
                tieBreak: TieBreak = .default) {
        self.dataset = dataset
        self.evaluationProtocol = evaluationProtocol
        self.tieBreak = tieBreak
        self.split = evaluationProtocol.split(dataset, tieBreak: tieBreak)
        self.reportName = dataset.name
    }

    /// Loads the data set `name` from `store` and splits it.
    public init(store: FeatureStore, dataset name: String, evaluationProtocol: EvaluationProtocol = .leaveOneOut,
                tieBreak: TieBreak = .default) throws {
        self.init(dataset: try store.loadDataset(named: name), evaluationProtocol: evaluationProtocol,
                  tieBreak: tieBreak)
    }

    /// Selects `model`'s hyperparameters on validation (with `overrides` pinned), refits on
    /// train + validation and evaluates on test; returns the report (not written). `onModel` sees
    /// every instance the selection builds, in order (grid points, then the refit that is tested).
    public func evaluate(model: String, overrides: [String: String] = [:],
                         selection: ModelSelection = ModelSelection(), seeds: Int = 1,
                         onEvent: ((ModelSelection.Event) -> Void)? = nil,
                         onModel: ((any Recommender) -> Void)? = nil) throws -> EvaluationReport {
        var candidates = try ModelRegistry.candidates(for: model, overrides: overrides, itemLLM: itemLLM,
                                                      semanticIDs: semanticIDs)
        if let onModel { candidates = candidates.map { $0.observed(by: onModel) } }
        return try selection.run(candidates: candidates, split: split, dataset: reportName, seeds: seeds, onEvent: onEvent)
    }

    /// The cold-start experiment (`Split.coldStart`): a seeded `itemFraction` of the catalogue never
    /// occurs in training or histories, and only test cases whose target is such an item count.
    /// Reports are filed under `<dataset>+cold-start`.
    public func coldStart(itemFraction: Double, seed: UInt64 = 42) -> Experiment {
        var cold = self
        cold.coldItems = Split.sampleColdItems(numItems: dataset.numItems, fraction: itemFraction, seed: seed)
        cold.split = split.coldStart(coldItems: cold.coldItems)
        cold.reportName = dataset.name + "+cold-start"
        return cold
    }

    /// Attaches the item LLM `modelDirectory` over this data set's catalogue, reading its embeddings
    /// from `store` when this data set version was encoded with the same template before (and
    /// registering them when not).
    ///
    /// - Parameter itemTemplate: how item texts are written (`ItemTextTemplate.resolve(_:for:)`): nil
    ///   for the template derived from the fields the items carry, a built-in name ("movielens",
    ///   "amazon") or a comma-separated field list ("title,brand,categories").
    /// - Throws: `ItemLLMError.invalidSetting` for a listed field that no item has (before any
    ///   model file is read).
    public mutating func attachItemLLM(modelDirectory: ModelDirectory, store: FeatureStore?, maxTokens: Int = 64,
                                       itemTemplate: String? = nil, progress: ((String) -> Void)? = nil) throws {
        let template = try ItemTextTemplate.resolve(itemTemplate, for: dataset.items)
        let metadata = try store?.datasetMetadata(named: dataset.name)
        itemLLM = try ItemLLMCatalogue(dataset: dataset, store: store, datasetVersion: metadata?.version ?? 0,
                                       template: template, modelDirectory: modelDirectory,
                                       maxTokens: maxTokens, progress: progress)
    }

    /// Attaches the semantic IDs stored for this data set version under the tokenizer settings
    /// `tokenizerKey` (`SemanticIDTokenizer.Configuration.key`, over the attached item LLM's
    /// embeddings), as `llmrec semantic-ids` built them; never fits.
    /// - Throws: `SemanticIDError.invalidInput` (saying the command that builds them) when the
    ///   store has none for this version, or only for an older one.
    public mutating func attachStoredSemanticIDs(store: FeatureStore,
                                                 tokenizerKey: String = SemanticIDTokenizer.Configuration().key) throws {
        let version = try store.datasetMetadata(named: dataset.name)?.version ?? 0
        guard let embeddings = itemLLM?.artifact else {
            throw SemanticIDError.invalidInput("semantic IDs need the item LLM's embeddings registered in the store")
        }
        let stored = try SemanticIDCatalogue.stored(dataset: dataset.name, datasetVersion: version,
                                                    embeddingArtifact: embeddings.name, tokenizerKey: tokenizerKey,
                                                    store: store)
        guard stored.tokenizer.codes.count == dataset.numItems else {
            throw SemanticIDError.invalidInput("the stored semantic IDs cover \(stored.tokenizer.codes.count) items, "
                                               + "\(dataset.name) has \(dataset.numItems); rebuild them with `llmrec semantic-ids --dataset \(dataset.name)`")
        }
        semanticIDs = stored.assignment
    }

    /// Every interaction of every user, chronological (ties by `tieBreak`): what a model serving
    /// recommendations (rather than being evaluated) is fit on.
    public func allInteractionsTrainingData() -> TrainingData {
        TrainingData(numUsers: dataset.numUsers, numItems: dataset.numItems,
                     sequences: dataset.chronologicalSequences(tieBreak: tieBreak))
    }
}
