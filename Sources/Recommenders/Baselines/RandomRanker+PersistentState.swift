import NeuralNet

extension RandomRanker: PersistentRecommender {
    /// The `format` metadata of RandomRanker's fitted state.
    static let stateFormat = "llmrec.random.v1"

    /// No tensors: scores depend only on the configuration's seed, the user id and the catalogue
    /// size. Metadata: `format` `"llmrec.random.v1"`, `numItems`.
    public func fittedState() throws -> Safetensors.Contents {
        Safetensors.Contents(tensors: [:], metadata: fittedStateMetadata(format: Self.stateFormat, numItems: numItems))
    }

    public func restoreFittedState(_ state: Safetensors.Contents) throws {
        numItems = try state.stateNumItems(format: Self.stateFormat)
    }
}
