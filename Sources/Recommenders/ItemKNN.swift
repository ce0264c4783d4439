import Dispatch
import LinearAlgebra

/// Item-based collaborative filtering (Sarwar, Karypis, Konstan, Riedl 2001, "Item-based
/// collaborative filtering recommendation algorithms"), on binary implicit feedback.
///
/// Similarity is shrunk cosine, `sim(a, b) = |a ∩ b| / (sqrt(|a|) sqrt(|b|) + shrink)` over the
/// sets of users of items a and b; each item keeps its `neighbors` most similar items (positive
/// similarity only). A history scores item j by `Σ_{h ∈ history} sim_h(h, j)`, where `sim_h` is
/// h's pruned neighbour list (the `implicit` library's convention). Co-occurrence is a dense
/// `[n, n]` BLAS product, so catalogues are limited to `TrainingData.denseItemLimit` items.
public final class ItemKNN: ConfigurableRecommender {
    /// ItemKNN hyperparameters.
    public struct Config: Codable, Equatable {
        /// Neighbours kept per item (default 100).
        public var neighbors: Int
        /// Added to the cosine denominator; damps similarities backed by few users (default 10).
        public var shrink: Float

        public init(neighbors: Int = 100, shrink: Float = 10) {
            self.neighbors = neighbors
            self.shrink = shrink
        }
    }

    public static let modelName = "itemknn"
    /// Neighbourhood sizes 50-400 with and without shrinkage.
    public static let defaultGrid = [Config(neighbors: 50, shrink: 0), Config(neighbors: 100, shrink: 0),
                                     Config(neighbors: 200, shrink: 0), Config(neighbors: 50, shrink: 10),
                                     Config(neighbors: 100, shrink: 10), Config(neighbors: 200, shrink: 10),
                                     Config(neighbors: 400, shrink: 10)]
    public let config: Config
    public private(set) var numItems = 0
    /// Neighbour ids, `[numItems, neighborsKept]` row-major; row h lists h's neighbours best first,
    /// padded with -1 when fewer have positive similarity.
    private var neighborIDs: [Int32] = []
    /// Similarities aligned with `neighborIDs` (0 for padding).
    private var neighborSimilarities: [Float] = []
    private var neighborsKept = 0

    public init(config: Config = Config()) {
        precondition(config.neighbors > 0 && config.shrink >= 0, "ItemKNN needs neighbors > 0 and shrink >= 0")
        self.config = config
    }

    public func fit(_ data: TrainingData) throws {
        guard data.numItems <= TrainingData.denseItemLimit else {
            throw RecommenderError.catalogueTooLarge(model: name, items: data.numItems, limit: TrainingData.denseItemLimit)
        }
        let n = data.numItems
        let kept = min(config.neighbors, max(n - 1, 0))
        let cooccurrence = data.cooccurrence()
        let norms = (0..<n).map { cooccurrence[$0, $0].squareRoot() }
        var ids = [Int32](repeating: -1, count: n * kept)
        var similarities = [Float](repeating: 0, count: n * kept)
        let shrink = config.shrink
        let chunkCount = min(n, 64)
        ids.withUnsafeMutableBufferPointer { idsOut in
            similarities.withUnsafeMutableBufferPointer { similaritiesOut in
                cooccurrence.values.withUnsafeBufferPointer { counts in
                    DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                        var row = [Float](repeating: 0, count: n)
                        for h in stride(from: chunk, to: n, by: chunkCount) {
                            for j in 0..<n {
                                let denominator = norms[h] * norms[j] + shrink
                                row[j] = denominator > 0 ? counts[h * n + j] / denominator : 0
                            }
                            let best = row.withUnsafeBufferPointer { topK($0, k: kept, excluding: [Int32(h)]) }
                            for (slot, j) in best.enumerated() where row[j] > 0 {
                                idsOut[h * kept + slot] = Int32(j)
                                similaritiesOut[h * kept + slot] = row[j]
                            }
                        }
                    }
                }
            }
        }
        neighborIDs = ids
        neighborSimilarities = similarities
        neighborsKept = kept
        numItems = n
    }

    /// The kept similarity of `neighbor` in `item`'s neighbour list (0 when pruned or unrelated).
    public func similarity(_ item: Int, _ neighbor: Int) -> Float {
        let row = item * neighborsKept..<(item + 1) * neighborsKept
        return zip(neighborIDs[row], neighborSimilarities[row]).first { Int($0.0) == neighbor }?.1 ?? 0
    }

    public func scoreBatch(users: [Int32], histories: [[Int32]], into scores: UnsafeMutableBufferPointer<Float>) {
        precondition(scores.count >= histories.count * numItems, "score buffer too small")
        let kept = neighborsKept
        for (b, history) in histories.enumerated() {
            let row = UnsafeMutableBufferPointer(rebasing: scores[b * numItems..<(b + 1) * numItems])
            row.update(repeating: 0)
            for h in uniqueItems(of: history, numItems: numItems) {
                for slot in Int(h) * kept..<(Int(h) + 1) * kept {
                    let j = neighborIDs[slot]
                    if j < 0 { break }
                    row[Int(j)] += neighborSimilarities[slot]
                }
            }
        }
    }
}
