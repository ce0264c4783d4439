import LinearAlgebra
import NeuralNet

extension EASE: PersistentRecommender {
    /// The `format` metadata of EASE's fitted state.
    static let stateFormat = "llmrec.ease.v1"

    /// Tensor `weights`, `[numItems, numItems]` row-major: the fitted B (zero diagonal; row i holds
    /// item i's contributions to every item's score). Metadata: `format` `"llmrec.ease.v1"`, `numItems`.
    public func fittedState() throws -> Safetensors.Contents {
        Safetensors.Contents(tensors: ["weights": Safetensors.Tensor(shape: [weights.rows, weights.cols], values: weights.values)],
                             metadata: fittedStateMetadata(format: Self.stateFormat, numItems: numItems))
    }

    public func restoreFittedState(_ state: Safetensors.Contents) throws {
        let n = try state.stateNumItems(format: Self.stateFormat)
        let restored = try state.values(of: "weights", shape: [n, n])
        weights = Matrix(rows: n, cols: n, values: restored)
        numItems = n
    }
}
