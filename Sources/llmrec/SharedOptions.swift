import ArgumentParser
import Evaluation
import FeatureStore
import Foundation
import ItemLLM
import Recommenders
import SemanticIDs

/// `--store`: where the feature store lives.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "Feature store directory (an LMDB environment; created if missing).")
    var store: String = "store"

    func open(readOnly: Bool = false) throws -> FeatureStore {
        try FeatureStore(path: store, readOnly: readOnly)
    }
}

/// `--dataset`, `--protocol`, `--tie-break`: which stored data set, split how.
struct ExperimentOptions: ParsableArguments {
    @Option(name: .long, help: "Name of a data set in the store (see `llmrec ingest`).")
    var dataset: String = "ml-100k"

    @Option(name: .customLong("protocol"),
            help: "Evaluation protocol: leave-one-out (last item test, second-to-last validation) or temporal (global 80%/90% timestamp cuts).")
    var evaluationProtocol: EvaluationProtocol = .leaveOneOut

    @OptionGroup var tieBreakOptions: TieBreakOptions

    @Option(name: .long, help: "Reports directory; each evaluation writes <reports>/<dataset>/<model>.json.")
    var reports: String = "reports"

    @Option(name: .long, help: ArgumentHelp(
        "Cold-start evaluation: hold this fraction of the catalogue (seeded) out of training and histories and test only cases whose target is one of those items; reports go to <reports>/<dataset>+cold-start/.",
        valueName: "fraction"))
    var coldStart: Double?

    var reportsDirectory: URL { URL(fileURLWithPath: reports) }

    /// The folder name of this experiment's reports (`<dataset>` or `<dataset>+cold-start`).
    var reportDataset: String { coldStart == nil ? dataset : dataset + "+cold-start" }

    /// The protocol name this experiment's reports carry.
    var reportProtocol: String { evaluationProtocol.rawValue + (coldStart == nil ? "" : "+cold-start") }

    func validate() throws {
        if let coldStart, !(coldStart > 0 && coldStart < 1) {
            throw ValidationError("--cold-start must lie strictly between 0 and 1 (a fraction of the catalogue)")
        }
    }

    /// The stored data set split under the chosen protocol and tie rule (and cold-start holdout).
    func experiment(in store: FeatureStore) throws -> Experiment {
        let experiment = try Experiment(store: store, dataset: dataset, evaluationProtocol: evaluationProtocol,
                                        tieBreak: tieBreakOptions.tieBreak)
        return coldStart.map { experiment.coldStart(itemFraction: $0) } ?? experiment
    }
}

/// `--model` and `--set name=value`: which model, with which hyperparameters pinned.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: "Model: \(ModelRegistry.names.joined(separator: ", ")), or all (evaluate only).")
    var model: String

    /// The models named by `--model`, with `all` expanded.
    var modelNames: [String] { model.lowercased() == "all" ? ModelRegistry.names : [model.lowercased()] }

    @Option(name: .customLong("set"), parsing: .singleValue,
            help: ArgumentHelp("Pin a hyperparameter (repeatable), e.g. --set l2=300; the rest of the model's grid is searched on validation.",
                               valueName: "name=value"))
    var settings: [String] = []

    func overrides() throws -> [String: String] {
        var result: [String: String] = [:]
        for setting in settings {
            let parts = setting.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ValidationError("--set expects name=value, got '\(setting)'")
            }
            result[parts[0]] = parts[1]
        }
        return result
    }

    func validate() throws {
        _ = try overrides()
        guard model.lowercased() == "all" || ModelRegistry.names.contains(model.lowercased()) else {
            throw ValidationError("unknown model '\(model)'; known models: \(ModelRegistry.names.joined(separator: ", "))")
        }
    }
}

extension EvaluationProtocol: ExpressibleByArgument {}

/// `--item-llm`, `--item-tokens`, `--item-template`: the item LLM for models that read item text
/// (hllm, tiger-hybrid) and how each item's text is written.
struct ItemLLMOptions: ParsableArguments {
    @Option(name: .long, help: "Pretrained item LLM folder (config.json, model.safetensors, vocab.txt), read by hllm and tiger-hybrid (and by tiger to find its stored semantic IDs, which are keyed by the embeddings); `make setup` puts all-MiniLM-L6-v2 there.")
    var itemLLM: String = ModelDirectory.defaultPath

    @Option(name: .long, help: "Token budget per item text, [CLS] and [SEP] included (16-512).")
    var itemTokens: Int = 64

    @Option(name: .long, help: ArgumentHelp("How each item's text is written: a built-in template (movielens, amazon) or a comma-separated list of item fields, e.g. title,brand,categories. Default: every known field the items have (title, year, brand, store, genres, categories, features, description, in that order). recommend and export use the template recorded with the trained model.", valueName: "template"))
    var itemTemplate: String?

    func validate() throws {
        guard (16...512).contains(itemTokens) else { throw ValidationError("--item-tokens must lie in 16...512") }
    }

    /// The model folder, checked.
    func directory() throws -> ModelDirectory { try ModelDirectory(path: itemLLM) }

    /// Attaches the item LLM to `experiment` when one of `models` reads item text or semantic IDs
    /// (their stored artefact is keyed by the embeddings), or when `always` (for semantic IDs);
    /// embeddings are cached in `store` (which must be writable then).
    func attach(to experiment: inout Experiment, for models: [String], always: Bool = false, store: FeatureStore,
                status: StatusLine) throws {
        let needsSemanticIDs = models.contains(where: ModelRegistry.readsSemanticIDs)
        guard always || needsSemanticIDs || models.contains(where: ModelRegistry.readsItemText) else { return }
        try experiment.attachItemLLM(modelDirectory: try directory(), store: store, maxTokens: itemTokens,
                                     itemTemplate: itemTemplate) { line in
            status.update(line)
        }
        status.finish(experiment.itemLLM.map { catalogue in
            catalogue.encoding.map { String(format: "item LLM: encoded %d items (%d tokens) in %.1f s, %.0f items/s, %.1f GFLOP/s",
                                            $0.items, $0.tokens, $0.seconds, $0.itemsPerSecond, $0.gflopsPerSecond) }
                ?? "item LLM: \(catalogue.count) item embeddings read from the store (\(catalogue.artifact?.name ?? "") v\(catalogue.artifact?.version ?? 0))"
        } ?? "")
    }
}

/// `--semantic-ids`, `--semantic-ids-file`: the codes tiger and tiger-hybrid decode.
struct SemanticIDOptions: ParsableArguments {
    @Option(name: .customLong("semantic-ids"), help: ArgumentHelp("Stored semantic IDs to decode (tiger), by the settings key `llmrec semantic-ids` prints and stores them under, e.g. rqvae-l3-k256-extra-level-s42, rkmeans-l3-k256-balanced-s42, or +ials64-leave-one-out-seeded-hash/rkmeans-l3-k256-extra-level-s42 for codes built with --collaborative-factors 64 (their key names the split whose training part iALS saw).", valueName: "key"))
    var semanticIDs: String = SemanticIDTokenizer.Configuration().key

    @Option(name: .customLong("semantic-ids-file"), help: ArgumentHelp("Decode the codes of an LC-Rec index file (X.index.json, e.g. a published tokenizer) instead of stored ones; items sharing a tuple are moved apart in the last level.", valueName: "file"))
    var semanticIDsFile: String?

    /// Attaches the semantic IDs to `experiment` when one of `models` decodes them (its item LLM
    /// attached for stored ones); throws saying how to build them when the store has none.
    func attach(to experiment: inout Experiment, for models: [String], store: FeatureStore, status: StatusLine) throws {
        guard models.contains(where: ModelRegistry.readsSemanticIDs) else { return }
        if let semanticIDsFile {
            experiment.semanticIDs = try SemanticIDAssignment.importing(indexFile: semanticIDsFile,
                                                                        itemIDs: experiment.dataset.itemIDs)
        } else {
            try experiment.attachStoredSemanticIDs(store: store, tokenizerKey: semanticIDs)
        }
        let codes = experiment.semanticIDs!.codes
        status.finish("semantic IDs: \(experiment.semanticIDs!.source), \(codes.levels) levels "
                      + "(\(codes.codebookSizes.map(String.init).joined(separator: " x ")))")
    }
}
