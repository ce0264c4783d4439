import ArgumentParser
import Evaluation
import FeatureStore
import Foundation
import Recommenders

/// `--store`: where the feature store lives.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "Feature store directory (an LMDB environment; created if missing).")
    var store: String = "store"

    func open(readOnly: Bool = false) throws -> FeatureStore {
        try FeatureStore(path: store, readOnly: readOnly)
    }
}

/// `--dataset`, `--protocol`: which stored data set, split how.
struct ExperimentOptions: ParsableArguments {
    @Option(name: .long, help: "Name of a data set in the store (see `llmrec ingest`).")
    var dataset: String = "ml-100k"

    @Option(name: .customLong("protocol"),
            help: "Evaluation protocol: leave-one-out (last item test, second-to-last validation) or temporal (global 80%/90% timestamp cuts).")
    var evaluationProtocol: EvaluationProtocol = .leaveOneOut

    @Option(name: .long, help: "Reports directory; each evaluation writes <reports>/<dataset>/<model>.json.")
    var reports: String = "reports"

    var reportsDirectory: URL { URL(fileURLWithPath: reports) }
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
