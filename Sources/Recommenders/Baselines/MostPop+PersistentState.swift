import NeuralNet

extension MostPop: PersistentRecommender {
    /// The `format` metadata of MostPop's fitted state.
    static let stateFormat = "llmrec.mostpop.v1"

    /// Tensor `popularity`, `[numItems]`: each item's training popularity (distinct users), which
    /// is its score for every history. Metadata: `format` `"llmrec.mostpop.v1"`, `numItems`.
    public func fittedState() throws -> Safetensors.Contents {
        Safetensors.Contents(tensors: ["popularity": Safetensors.Tensor(shape: [popularity.count], values: popularity)],
                             metadata: fittedStateMetadata(format: Self.stateFormat, numItems: numItems))
    }

    public func restoreFittedState(_ state: Safetensors.Contents) throws {
        let n = try state.stateNumItems(format: Self.stateFormat)
        let restored = try state.values(of: "popularity", shape: [n])
        popularity = restored
        numItems = n
    }
}
