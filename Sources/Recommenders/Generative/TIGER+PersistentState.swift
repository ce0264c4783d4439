import NeuralNet
import SeededRandom
import SemanticIDs

extension TIGER: PersistentRecommender {
    /// The `format` metadata of TIGER's fitted state.
    static let stateFormat = "llmrec.tiger.v1"

    /// Every trained parameter under its name (the best epoch's weights), plus the codes the model
    /// was trained on, so a restored model decodes into exactly the same catalogue:
    /// - `semanticIDs`, `[numItems, L]`: every item's code tuple;
    /// - `codebookSizes`, `[L]`;
    /// - `decoding.targetCounts`, `[numItems]`: how often each item was a training target (what
    ///   `popularityCorrection` reads);
    /// - `encoder.*`, `decoder.*`, `output.<level>` (none with `tiedOutputTables`), `output.nodes`
    ///   (with `nodeOutputRows`): the network;
    /// - hybrid only: `dense.textTower.*`, `dense.representations` `[numItems, dim]` (every item's
    ///   dense representation, so serving needs no item LLM pass) and `dense.coldItems`
    ///   `[numItems]` (1 for an item without interactions at fit time, else 0).
    ///
    /// Metadata: `format` `"llmrec.tiger.v1"`, `numItems`, `semanticIDs` (their source),
    /// `encoderItemText`, `constrainedSoftmax`, `encoderNodeRows`, `decoderLastState`, and
    /// `epochsRun` / `bestEpoch` of the fit.
    /// - Throws: `SequentialStateError.notFitted` before `fit`.
    public func fittedState() throws -> Safetensors.Contents {
        guard let network, let codes else { throw SequentialStateError.notFitted(model: Self.modelName) }
        var contents = network.parameters.safetensorsContents(
            metadata: SequentialState.metadata(format: Self.stateFormat, numItems: numItems, summary: trainingSummary))
        contents.metadata["semanticIDs"] = codesSource
        contents.metadata["encoderItemText"] = String(config.encoderItemText)
        contents.metadata["constrainedSoftmax"] = String(config.constrainedSoftmax)
        contents.metadata["encoderNodeRows"] = String(config.encoderNodeRows)
        contents.metadata["decoderLastState"] = String(config.decoderLastState)
        contents.tensors["semanticIDs"] = Safetensors.Tensor(shape: [codes.count, codes.levels], values: codes.codes.map { exactFloat(Int($0)) })
        contents.tensors["codebookSizes"] = Safetensors.Tensor(shape: [codes.levels], values: codes.codebookSizes.map(exactFloat))
        if trainingTargetCounts.count == numItems {
            contents.tensors["decoding.targetCounts"] = Safetensors.Tensor(shape: [numItems], values: trainingTargetCounts.map(exactFloat))
        }
        if network.textTower != nil {
            contents.tensors["dense.representations"] = Safetensors.Tensor(shape: [numItems, config.dim], values: representations)
            var mask = [Float](repeating: 0, count: numItems)
            for item in coldItems { mask[Int(item)] = 1 }
            contents.tensors["dense.coldItems"] = Safetensors.Tensor(shape: [numItems], values: mask)
        }
        return contents
    }

    /// Rebuilds the codes, the trie and the network from the state (as `fit` would before
    /// training) and loads every parameter; the model then scores exactly as the saved one.
    /// Nothing changes when it throws.
    /// - Throws: `SafetensorsError.badHeader` for another model's state or a tensor this
    ///   configuration does not have, `.missingTensor` / `.shapeMismatch` naming the tensor.
    public func restoreFittedState(_ state: Safetensors.Contents) throws {
        let count = try state.stateNumItems(format: Self.stateFormat)
        guard count > 0 else { throw SequentialState.emptyCatalogue(format: Self.stateFormat) }
        guard config.beamWidth <= count else {
            throw TIGERError.invalidSetting("beamWidth (\(config.beamWidth)) exceeds the saved catalogue (\(count) items)")
        }
        guard let levels = state.tensors["codebookSizes"]?.shape.first, levels > 0 else {
            throw SafetensorsError.missingTensor("codebookSizes")
        }
        // The text, node-row and last-state inputs and the softmax's normalisation add no tensor,
        // so the flags are checked by name; states saved before they existed had them off.
        for (flag, value) in [("encoderItemText", config.encoderItemText), ("constrainedSoftmax", config.constrainedSoftmax),
                              ("encoderNodeRows", config.encoderNodeRows), ("decoderLastState", config.decoderLastState)] {
            let saved = state.metadata[flag] == "true"
            guard saved == value else {
                throw SafetensorsError.badHeader("\(Self.stateFormat) state saved with \(flag) \(saved), "
                                                 + "this configuration has \(value)")
            }
        }
        let sizes = try state.integers(of: "codebookSizes", shape: [levels], in: 1..<largestExactFloatInteger)
        let tuples = try state.integers(of: "semanticIDs", shape: [count, levels], in: 0..<largestExactFloatInteger)
        let restoredCodes: SemanticIDCodes
        let restoredTrie: SemanticIDTrie
        do {
            restoredCodes = try SemanticIDCodes(codes: tuples.map(Int32.init), codebookSizes: sizes)
            restoredTrie = try SemanticIDTrie(restoredCodes)
        } catch let error as SemanticIDError {
            throw SafetensorsError.badHeader("\(Self.stateFormat) state: \(error)")
        }
        var random = SplitMix64(seed: UInt64(truncatingIfNeeded: config.seed))
        let restored = TIGERNetwork(codes: restoredCodes, trie: restoredTrie, itemText: itemText, config: config, random: &random)
        var names = restored.parameters.map(\.name) + ["semanticIDs", "codebookSizes"]
        // States saved before the counts existed still restore, unless the correction needs them.
        var targetCounts: [Int] = []
        if state.tensors["decoding.targetCounts"] != nil || config.popularityCorrection > 0 {
            names.append("decoding.targetCounts")
            targetCounts = try state.integers(of: "decoding.targetCounts", shape: [count], in: 0..<largestExactFloatInteger)
        }
        var representations: [Float] = [], coldItems: [Int32] = []
        if itemText != nil {
            names += ["dense.representations", "dense.coldItems"]
            representations = try state.values(of: "dense.representations", shape: [count, config.dim])
            coldItems = try state.integers(of: "dense.coldItems", shape: [count], in: 0..<2).enumerated()
                .compactMap { $0.element == 1 ? Int32($0.offset) : nil }
        }
        try SequentialState.checkNoOtherTensors(state, expected: names, format: Self.stateFormat)
        try restored.parameters.load(state)
        restore(codes: restoredCodes, codesSource: state.metadata["semanticIDs"] ?? codesSource, trie: restoredTrie, network: restored, representations: representations,
                coldItems: coldItems, trainingTargetCounts: targetCounts)
    }
}
