import Foundation
import ItemLLM

/// Every model the command line, the pipeline and the notebooks know by name.
public enum ModelRegistry {
    /// Model names in leaderboard order of introduction.
    public static let names = [RandomRanker.modelName, MostPop.modelName, ItemKNN.modelName, EASE.modelName, IALS.modelName,
                               SASRec.modelName, HLLM.modelName, TIGER.modelName, TIGER.hybridModelName]

    /// The `config` entry of models that read item text naming the item-text template their
    /// catalogue was written with (`ItemTextTemplate.name`); not a hyperparameter: ignored in
    /// `overrides`, read back by `TrainedModel.load` to encode the catalogue the same way.
    public static let itemTemplateKey = "itemTemplate"

    /// Whether `name` reads item text through the item LLM (and so needs an `ItemLLMCatalogue`).
    public static func readsItemText(_ name: String) -> Bool {
        [HLLM.modelName, TIGER.hybridModelName].contains(name.lowercased())
    }

    /// Whether `name` decodes semantic IDs (and so needs a `SemanticIDCatalogue` to be fit).
    public static func readsSemanticIDs(_ name: String) -> Bool {
        [TIGER.modelName, TIGER.hybridModelName].contains(name.lowercased())
    }

    /// The model-selection grid of `name`, with `overrides` (hyperparameter name -> value) fixed
    /// in every grid point; points that become identical are kept once.
    ///
    /// `overrides` pins what the user chose and lets validation search the rest:
    /// `["l2": "300"]` turns EASE's grid into the single point λ = 300. Models that read item text
    /// (`readsItemText`) take their features from `itemLLM` and throw without one. TIGER takes its
    /// codes from `semanticIDs`; without them it can only restore a saved state (whose
    /// `semanticIDs` entry, naming the codes' source, is not a hyperparameter and is ignored here).
    /// The candidates of hllm and tiger-hybrid record their catalogue's template under
    /// `itemTemplateKey` (ignored in `overrides` likewise).
    public static func candidates(for name: String, overrides: [String: String] = [:],
                                  itemLLM: ItemLLMCatalogue? = nil,
                                  semanticIDs: SemanticIDAssignment? = nil) throws -> [ModelCandidate] {
        switch name.lowercased() {
        case RandomRanker.modelName: return try candidates(RandomRanker.self, overrides: overrides)
        case MostPop.modelName: return try candidates(MostPop.self, overrides: overrides)
        case ItemKNN.modelName: return try candidates(ItemKNN.self, overrides: overrides)
        case EASE.modelName: return try candidates(EASE.self, overrides: overrides)
        case IALS.modelName: return try candidates(IALS.self, overrides: overrides)
        case SASRec.modelName: return try candidates(SASRec.self, overrides: overrides)
        case HLLM.modelName:
            let pinned = overrides.filter { $0.key != itemTemplateKey }
            var grid: [HLLM.Config] = []
            for point in HLLM.defaultGrid {
                let config = try ConfigOverrides.apply(pinned, to: point, model: HLLM.modelName)
                if !grid.contains(config) { grid.append(config) }
            }
            // The overrides were validated above, even when the item LLM is not loaded.
            guard let itemLLM else { throw ModelRegistryError.needsItemLLM(model: HLLM.modelName) }
            return grid.map { hllmCandidate($0, itemLLM: itemLLM) }
        case TIGER.modelName, TIGER.hybridModelName:
            let modelName = name.lowercased()
            let config = try ConfigOverrides.apply(overrides.filter { $0.key != "semanticIDs" && $0.key != itemTemplateKey },
                                                   to: modelName == TIGER.hybridModelName ? .hybridDefaults : TIGER.Config(),
                                                   model: modelName)
            var itemText: TIGER.ItemText?
            var templateEntry: [String: String] = [:]
            if modelName == TIGER.hybridModelName {
                guard let itemLLM else { throw ModelRegistryError.needsItemLLM(model: modelName) }
                itemText = TIGER.ItemText(values: itemLLM.embeddings.values, dim: itemLLM.embeddings.dim)
                templateEntry[itemTemplateKey] = itemLLM.template.name
            }
            let codes = semanticIDs?.codes
            let source = semanticIDs?.source ?? ""
            // Built once here so that bad settings throw now; every `make` builds the same model.
            let model = try TIGER(config: config, codes: codes, codesSource: source, itemText: itemText)
            let make = { (try? TIGER(config: config, codes: codes, codesSource: source, itemText: itemText)) ?? model }
            return [ModelCandidate(model: modelName, config: model.configDescription.merging(templateEntry) { $1 }, make: make,
                                   changing: { try candidates(for: name, overrides: overrides.merging($0) { $1 },
                                                              itemLLM: itemLLM, semanticIDs: semanticIDs)[0] })]
        default: throw ModelRegistryError.unknownModel(name)
        }
    }

    /// The HLLM candidate of `config` over `itemLLM`'s catalogue, which can be rebuilt with other settings.
    private static func hllmCandidate(_ config: HLLM.Config, itemLLM: ItemLLMCatalogue) -> ModelCandidate {
        let make = { HLLM(config: config, itemFeatures: { try itemLLM.features(trainableLayers: $0.trainableItemLLMLayers) }) }
        return ModelCandidate(
            model: HLLM.modelName, config: make().configDescription.merging([itemTemplateKey: itemLLM.template.name]) { $1 },
            make: make,
            changing: { hllmCandidate(try ConfigOverrides.apply($0, to: config, model: HLLM.modelName), itemLLM: itemLLM) })
    }

    private static func candidates<Model: ConfigurableRecommender>(
        _ model: Model.Type, overrides: [String: String]
    ) throws -> [ModelCandidate] {
        var grid: [Model.Config] = []
        for point in Model.defaultGrid {
            let pinned = try ConfigOverrides.apply(overrides, to: point, model: Model.modelName)
            if !grid.contains(pinned) { grid.append(pinned) }
        }
        return Model.candidates(grid: grid)
    }
}

/// A bad model name or hyperparameter on the command line.
public enum ModelRegistryError: Error, CustomStringConvertible, Equatable {
    case unknownModel(String)
    case unknownHyperparameter(model: String, name: String, known: [String])
    case badValue(model: String, name: String, value: String, expected: String)
    case needsItemLLM(model: String)
    case noSeed(model: String)

    public var description: String {
        switch self {
        case .unknownModel(let name):
            return "unknown model '\(name)'; known models: \(ModelRegistry.names.joined(separator: ", "))"
        case .unknownHyperparameter(let model, let name, let known):
            return "\(model) has no hyperparameter '\(name)'; it has: \(known.joined(separator: ", "))"
        case .badValue(let model, let name, let value, let expected):
            return "\(model): '\(value)' is not a valid value for \(name) (expected \(expected))"
        case .needsItemLLM(let model):
            return "\(model) reads item text: it needs the item LLM (Data/minilm from `make setup`, or --item-llm PATH)"
        case .noSeed(let model):
            return "\(model) has no seed to vary: --seeds needs a model that trains from a seed (sasrec, hllm, tiger, tiger-hybrid, ials)"
        }
    }
}

/// Sets named fields of a `Codable` configuration from strings, through its JSON form, so every
/// model's config gets `--set name=value` without code of its own.
enum ConfigOverrides {
    static func apply<Config: Codable>(_ overrides: [String: String], to config: Config,
                                       model: String) throws -> Config {
        guard !overrides.isEmpty else { return config }
        let encoded = try JSONEncoder().encode(config)
        guard var fields = try JSONSerialization.jsonObject(with: encoded) as? [String: Any] else { return config }
        for (name, text) in overrides {
            guard let current = fields[name] else {
                throw ModelRegistryError.unknownHyperparameter(model: model, name: name, known: fields.keys.sorted())
            }
            fields[name] = current is String ? text : (Bool(text.lowercased()) ?? Double(text) ?? text)
        }
        do {
            return try JSONDecoder().decode(Config.self, from: JSONSerialization.data(withJSONObject: fields))
        } catch is DecodingError {
            let names = overrides.keys.sorted().joined(separator: ", ")
            let values = overrides.keys.sorted().map { overrides[$0]! }.joined(separator: ", ")
            throw ModelRegistryError.badValue(model: model, name: names, value: values,
                                              expected: "a value of the hyperparameter's type")
        }
    }
}
