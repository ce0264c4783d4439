import LinearAlgebra
import NeuralNet

extension IALS: PersistentRecommender {
    /// The `format` metadata of iALS's fitted state.
    static let stateFormat = "llmrec.ials.v1"

    /// What scoring (fold-in, then a product with Yᵀ) needs, with `k = config.factors`:
    /// - `itemFactors`, `[numItems, k]` row-major: the item factors Y;
    /// - `itemGramPlusRegularization`, `[k, k]`: the fold-in matrix `YᵀY + λI`, saved rather than
    ///   recomputed so a restored model folds in with exactly the fitted bits.
    /// The training users' factors and the loss history are not part of it (scoring folds in every
    /// history). Metadata: `format` `"llmrec.ials.v1"`, `numItems`.
    public func fittedState() throws -> Safetensors.Contents {
        let gram = itemGramPlusRegularization
        return Safetensors.Contents(tensors: [
            "itemFactors": Safetensors.Tensor(shape: [itemFactors.rows, itemFactors.cols], values: itemFactors.values),
            "itemGramPlusRegularization": Safetensors.Tensor(shape: [gram.rows, gram.cols], values: gram.values),
        ], metadata: fittedStateMetadata(format: Self.stateFormat, numItems: numItems))
    }

    public func restoreFittedState(_ state: Safetensors.Contents) throws {
        let n = try state.stateNumItems(format: Self.stateFormat)
        let k = config.factors
        let factors = try state.values(of: "itemFactors", shape: [n, k])
        let gram = try state.values(of: "itemGramPlusRegularization", shape: [k, k])
        itemFactors = Matrix(rows: n, cols: k, values: factors)
        itemGramPlusRegularization = Matrix(rows: k, cols: k, values: gram)
        numItems = n
    }
}
