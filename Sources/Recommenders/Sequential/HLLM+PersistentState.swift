import FeatureStore
import ItemLLM
import NeuralNet
import SeededRandom

extension HLLM: PersistentRecommender {
    /// The `format` metadata of HLLM's fitted state.
    static let stateFormat = "llmrec.hllm.v1"
    /// Prefix of the item LLM's trainable parameters in the state (keeps their names apart from the
    /// user model's `encoder.*`).
    static let itemLLMTensorPrefix = "itemLLM."

    /// Every trained parameter under its name (the best epoch's weights, which `fit` restores):
    /// - `itemTower.weight` `[dim, featureDim]`, `itemTower.bias` `[dim]`: the item tower;
    /// - `itemIDs` `[numItems, dim]`: the item-ID embeddings (only with `fuseItemID`);
    /// - `positions` `[maxLength, dim]`, `encoder.blocks.<i>.*`, `encoder.finalNorm.*`: the user model;
    /// - `itemLLM.<name>`: the item LLM's fine-tuned layers (only with trainable item-LLM layers, e.g.
    ///   `itemLLM.encoder.layer.5.attention.qkv.weight`), so the item representations are rebuilt
    ///   from the fine-tuned weights.
    ///
    /// Frozen item features are not saved (the restoring model gets them from its features factory,
    /// the same `ItemLLMCatalogue`); their SHA-256 is, so other features are caught.
    ///
    /// Metadata: `format` `"llmrec.hllm.v1"`, `numItems`, `epochsRun` / `bestEpoch` of the fit,
    /// `itemFeatures.count` and `itemFeatures.dim` (the features' shape) and, for frozen features,
    /// `itemFeatures.sha256` (of every item's feature, `[numItems, featureDim]` little-endian float32).
    /// Which items were warm in training is not saved: it shapes training only, scoring treats every
    /// item alike (cold items by their text).
    /// - Throws: `SequentialStateError.notFitted` before `fit`.
    public func fittedState() throws -> Safetensors.Contents {
        guard let network, let features else { throw SequentialStateError.notFitted(model: Self.modelName) }
        var state = network.parameters.safetensorsContents(
            metadata: SequentialState.metadata(format: Self.stateFormat, numItems: numItems, summary: trainingSummary))
        for parameter in features.parameters {
            let name = Self.itemLLMTensorPrefix + parameter.name
            precondition(state.tensors[name] == nil, "two item-LLM parameters are named \(parameter.name)")
            state.tensors[name] = Safetensors.Tensor(shape: parameter.shape, values: parameter.value)
        }
        state.metadata["itemFeatures.count"] = String(features.count)
        state.metadata["itemFeatures.dim"] = String(features.dim)
        if features.parameters.isEmpty {
            state.metadata["itemFeatures.sha256"] = Self.digest(of: features, numItems: numItems)
        }
        return state
    }

    /// Asks the features factory for the item features (as `fit` does), builds the network for the
    /// saved catalogue, loads every parameter (the item LLM's trainable layers included) and caches
    /// the item representations; the model then scores exactly as the saved one. Nothing changes
    /// when it throws.
    /// - Throws: `SafetensorsError.badHeader` for another model's state (its `format`) or a tensor this
    ///   configuration does not have, `.missingTensor` / `.shapeMismatch` naming the tensor,
    ///   `HLLMError.featureCountMismatch` / `.itemFeaturesChanged` when the item features are not
    ///   those of the saved model, and whatever the features factory throws.
    public func restoreFittedState(_ state: Safetensors.Contents) throws {
        let count = try state.stateNumItems(format: Self.stateFormat)
        guard count > 0 else { throw SequentialState.emptyCatalogue(format: Self.stateFormat) }
        let features = try makeFeatures(config)
        guard features.count == count else { throw HLLMError.featureCountMismatch(features: features.count, items: count) }
        if let saved = state.metadata["itemFeatures.dim"], saved != String(features.dim) {
            throw HLLMError.itemFeaturesChanged("saved \(saved)-d features, now \(features.dim)-d")
        }
        var random = SplitMix64(seed: UInt64(truncatingIfNeeded: config.seed))
        let restored = HLLMNetwork(numItems: count, featureDim: features.dim, config: config, random: &random)
        let featureParameters = features.parameters
        let featureNames = featureParameters.map { Self.itemLLMTensorPrefix + $0.name }
        try SequentialState.checkNoOtherTensors(state, expected: restored.parameters.map(\.name) + featureNames,
                                                format: Self.stateFormat)
        var featureValues: [[Float]] = []
        for (parameter, name) in zip(featureParameters, featureNames) {
            guard let tensor = state.tensors[name] else { throw SafetensorsError.missingTensor(name) }
            guard tensor.shape == parameter.shape else {
                throw SafetensorsError.shapeMismatch(name: name, expected: parameter.shape, found: tensor.shape)
            }
            featureValues.append(tensor.values)
        }
        try restored.parameters.load(state)
        if featureParameters.isEmpty, let saved = state.metadata["itemFeatures.sha256"] {
            let found = Self.digest(of: features, numItems: count)
            guard found == saved else {
                throw HLLMError.itemFeaturesChanged("frozen features' SHA-256 \(found.prefix(12))..., saved \(saved.prefix(12))...")
            }
        }
        for (parameter, values) in zip(featureParameters, featureValues) { parameter.value = values }
        network = restored
        self.features = features
        representations = restored.allRepresentations(features: features, numItems: count)
        numItems = count
        trainingSummary = nil
    }

    /// SHA-256 of every item's feature in inference mode, `[numItems, dim]` as little-endian float32
    /// bytes, computed in chunks of 4096 items.
    static func digest(of features: any ItemTextFeatures, numItems: Int) -> String {
        var features = features
        var hasher = SHA256()
        for start in stride(from: 0, to: numItems, by: 4096) {
            let rows = features.forward(items: (start..<min(start + 4096, numItems)).map { Int32($0) }, training: false)
            var bytes = [UInt8]()
            bytes.reserveCapacity(rows.count * 4)
            for value in rows { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
            hasher.update(bytes)
        }
        return hasher.finalizeHex()
    }
}
