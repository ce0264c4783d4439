import LinearAlgebra

/// Embarrassingly Shallow Autoencoder (Steck 2019, "Embarrassingly Shallow Autoencoders for
/// Sparse Data"): the item x item weights with zero diagonal that best reconstruct X under an L2
/// penalty, in closed form:
///
///     G = XᵀX + λI,  P = G⁻¹,  B[i, j] = -P[i, j] / P[j, j]  (i ≠ j),  B[j, j] = 0.
///
/// A history's scores are its indicator row times B, computed as the sum of B's rows of the
/// history's items (`HistoryRowSumScorer`): about `|history| x n` additions per user. Deterministic.
/// B is dense `[n, n]`, so catalogues are limited to `TrainingData.denseItemLimit` items.
public final class EASE: ConfigurableRecommender, HistoryRowSumScorer {
    /// EASE hyperparameters.
    public struct Config: Codable, Equatable {
        /// L2 penalty λ added to the Gram matrix's diagonal (default 300, tuned for ML-100K).
        public var l2: Float

        public init(l2: Float = 300) {
            self.l2 = l2
        }
    }

    public static let modelName = "ease"
    /// λ ∈ {100, 300, 1000, 3000}.
    public static let defaultGrid = [Config(l2: 100), Config(l2: 300), Config(l2: 1000), Config(l2: 3000)]
    /// λ extends past the grid by factors of 3.
    public static let searchAxes = [SearchAxis(name: "l2", factor: 3, range: 1...1e7)]
    public let config: Config
    public internal(set) var numItems = 0
    /// The fitted weights B, `[numItems, numItems]`, zero diagonal; row i holds item i's
    /// contributions to every item's score.
    public internal(set) var weights = Matrix(rows: 0, cols: 0)

    public init(config: Config = Config()) {
        precondition(config.l2 > 0, "EASE needs l2 > 0")
        self.config = config
    }

    public func fit(_ data: TrainingData) throws {
        guard data.numItems <= TrainingData.denseItemLimit else {
            throw RecommenderError.catalogueTooLarge(model: name, items: data.numItems, limit: TrainingData.denseItemLimit)
        }
        let n = data.numItems
        // G = XᵀX + λI is inverted in place, then scaled into B: one [n, n] buffer at a time.
        var b = data.cooccurrence()
        for i in 0..<n { b[i, i] += config.l2 }
        try b.invertSPD()
        b.values.withUnsafeMutableBufferPointer { p in
            let inverseDiagonal = (0..<n).map { -1 / p[$0 * n + $0] }
            for i in 0..<n {
                for j in 0..<n { p[i * n + j] *= inverseDiagonal[j] }
                p[i * n + i] = 0
            }
        }
        weights = b
        numItems = n
    }

    /// Adds row `item` of B, the item's contribution to every item's score.
    public func addWeights(ofHistoryItem item: Int, to scores: UnsafeMutableBufferPointer<Float>) {
        weights.values.withUnsafeBufferPointer { b in
            SIMDKernels.axpy(1, UnsafeBufferPointer(rebasing: b[item * numItems..<(item + 1) * numItems]), scores)
        }
    }
}
