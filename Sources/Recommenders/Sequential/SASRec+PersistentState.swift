import NeuralNet
import SeededRandom

extension SASRec: PersistentRecommender {
    /// The `format` metadata of SASRec's fitted state.
    static let stateFormat = "llmrec.sasrec.v1"

    /// Every trained parameter under its name (the best epoch's weights, which `fit` restores):
    /// - `items`, `[numItems, dim]`: the item table (input and output embeddings);
    /// - `positions`, `[maxLength, dim]`;
    /// - `encoder.blocks.<i>.*` and `encoder.finalNorm.*`: the causal transformer.
    ///
    /// Metadata: `format` `"llmrec.sasrec.v1"`, `numItems`, and `epochsRun` / `bestEpoch` of the fit.
    /// - Throws: `SequentialStateError.notFitted` before `fit`.
    public func fittedState() throws -> Safetensors.Contents {
        guard let network else { throw SequentialStateError.notFitted(model: Self.modelName) }
        return network.parameters.safetensorsContents(
            metadata: SequentialState.metadata(format: Self.stateFormat, numItems: numItems, summary: trainingSummary))
    }

    /// Builds the network for the saved catalogue (as `fit` does before training) and loads every
    /// parameter; the model then scores exactly as the saved one. Nothing changes when it throws.
    /// - Throws: `SafetensorsError.badHeader` for another model's state (its `format`) or a tensor this
    ///   configuration does not have, `.missingTensor` / `.shapeMismatch` naming the tensor.
    public func restoreFittedState(_ state: Safetensors.Contents) throws {
        let count = try state.stateNumItems(format: Self.stateFormat)
        guard count > 0 else { throw SequentialState.emptyCatalogue(format: Self.stateFormat) }
        var random = SplitMix64(seed: UInt64(truncatingIfNeeded: config.seed))
        let restored = SASRecNetwork(numItems: count, config: config, random: &random)
        try SequentialState.checkNoOtherTensors(state, expected: restored.parameters.map(\.name), format: Self.stateFormat)
        try restored.parameters.load(state)
        network = restored
        numItems = count
        trainingSummary = nil
    }
}

/// Why a sequential model's state cannot be written.
public enum SequentialStateError: Error, Equatable, CustomStringConvertible {
    /// `fittedState()` was called before `fit` (or a restore).
    case notFitted(model: String)

    public var description: String {
        switch self {
        case .notFitted(let model): return "\(model): there is no fitted state to save before `fit`"
        }
    }
}

/// Shared by SASRec's and HLLM's persistent state.
enum SequentialState {
    /// `format`, `numItems`, and the fit's `epochsRun` and `bestEpoch` when it ran.
    static func metadata(format: String, numItems: Int, summary: TrainingLoop.Summary?) -> [String: String] {
        var metadata = fittedStateMetadata(format: format, numItems: numItems)
        if let summary {
            metadata["epochsRun"] = String(summary.epochsRun)
            metadata["bestEpoch"] = String(summary.bestEpoch)
        }
        return metadata
    }

    /// The error for a state of an empty catalogue (`fit` never saw an item, so nothing was trained).
    static func emptyCatalogue(format: String) -> SafetensorsError {
        .badHeader("\(format) state: numItems is 0; a fitted model has at least one item")
    }

    /// Throws when `state` holds a tensor that is not in `expected`: the state was saved by a model
    /// of another configuration (e.g. with item-ID fusion or trainable item-LLM layers), which this
    /// one would silently score differently from.
    static func checkNoOtherTensors(_ state: Safetensors.Contents, expected: [String], format: String) throws {
        let names = Set(expected)
        if let extra = state.tensors.keys.sorted().first(where: { !names.contains($0) }) {
            throw SafetensorsError.badHeader("\(format) state has tensor '\(extra)', which this model's configuration does not have")
        }
    }
}
