import NeuralNet

/// The text side of an item for the HLLM user model: a `[dim]` vector per catalogue item computed
/// from the item's text by the item LLM, either frozen (a precomputed table) or with the item
/// LLM's top layers trainable end to end (HLLM, Chen et al. 2024, §3.1: the item LLM's output is
/// the item's feature).
///
/// Layer conventions of `NeuralNet`: `forward` keeps what `backward` needs; `backward` accumulates
/// into `parameters`' gradients; copying the value copies its caches but shares its parameters, so
/// each thread scores with its own copy.
public protocol ItemTextFeatures {
    /// Width of one item's feature vector.
    var dim: Int { get }
    /// Number of catalogue items (ids `0..<count`).
    var count: Int { get }
    /// Trainable tensors (empty when frozen).
    var parameters: [Parameter] { get }
    /// Features of `items`, `[items.count, dim]`, row `r` for `items[r]`; dropout only when `training`.
    mutating func forward(items: [Int32], training: Bool) -> [Float]
    /// Accumulates parameter gradients from dLoss/dfeatures `[items.count, dim]` of the last `forward`.
    mutating func backward(_ dFeatures: [Float])
}

/// Frozen features: a precomputed `[count, dim]` table (the item LLM run once over the catalogue).
public struct FrozenItemTextFeatures: ItemTextFeatures {
    public let dim: Int
    public let count: Int
    /// `[count, dim]`, row `i` for item `i`.
    public let table: [Float]

    /// Features from a `[count, dim]` row-major table.
    public init(table: [Float], dim: Int) {
        precondition(dim > 0 && table.count % dim == 0, "table is not [count, \(dim)]")
        self.dim = dim
        self.count = table.count / dim
        self.table = table
    }

    public var parameters: [Parameter] { [] }

    public func forward(items: [Int32], training: Bool) -> [Float] {
        var rows = [Float](repeating: 0, count: items.count * dim)
        for (r, item) in items.enumerated() {
            let source = Int(item) * dim
            rows.replaceSubrange(r * dim..<(r + 1) * dim, with: table[source..<source + dim])
        }
        return rows
    }

    /// Nothing to train.
    public func backward(_ dFeatures: [Float]) {}
}
