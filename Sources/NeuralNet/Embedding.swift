import SeededRandom

/// A lookup table: row `id` of a `[count, dim]` table for each input id, times a constant `scale`
/// (SASRec multiplies item embeddings by √dim, Kang & McAuley 2018 after Vaswani et al. 2017).
///
/// Shapes: ids `[rows]`, output `[rows, dim]`. `backward` adds gradients only to the rows that
/// were looked up. The table can double as an output layer (shared input/output embeddings): the
/// caller then adds its own gradient to `table.gradient`.
public struct Embedding {
    /// Rows in the table.
    public let count: Int
    /// Width of a row.
    public let dim: Int
    /// Multiplier applied to every looked-up row.
    public let scale: Float
    /// `[count, dim]`.
    public let table: Parameter
    private var ids: [Int32] = []

    /// A table named `name` with `initializer` values (weight decay applies when `decays`).
    public init(name: String, count: Int, dim: Int, scale: Float = 1, initializer: Initializer, decays: Bool = true,
                random: inout SplitMix64) {
        self.count = count
        self.dim = dim
        self.scale = scale
        table = Parameter(name: name, shape: [count, dim], value: initializer.values(count: count * dim, random: &random),
                          decays: decays)
    }

    /// The layer's parameters.
    public var parameters: [Parameter] { [table] }

    /// `ids [rows] -> [rows, dim]`; every id must be in `0..<count`.
    public mutating func forward(_ ids: [Int32]) -> [Float] {
        self.ids = ids
        var output = [Float](repeating: 0, count: ids.count * dim)
        let (dim, scale) = (dim, scale)
        table.value.withUnsafeBufferPointer { table in
            output.withUnsafeMutableBufferPointer { output in
                for (row, id) in ids.enumerated() {
                    precondition(id >= 0 && Int(id) < count, "id \(id) outside 0..<\(count)")
                    let source = table.baseAddress! + Int(id) * dim
                    let target = output.baseAddress! + row * dim
                    for j in 0..<dim { target[j] = scale * source[j] }
                }
            }
        }
        return output
    }

    /// Given dLoss/doutput `[rows, dim]`, adds `scale * dy[row]` to the table row of each id.
    public mutating func backward(_ dy: [Float]) {
        precondition(dy.count == ids.count * dim, "gradient of \(dy.count) values, expected [\(ids.count), \(dim)]")
        let (dim, scale) = (dim, scale)
        dy.withUnsafeBufferPointer { dy in
            table.gradient.withUnsafeMutableBufferPointer { gradient in
                for (row, id) in ids.enumerated() {
                    let target = gradient.baseAddress! + Int(id) * dim
                    let source = dy.baseAddress! + row * dim
                    for j in 0..<dim { target[j] += scale * source[j] }
                }
            }
        }
    }
}
