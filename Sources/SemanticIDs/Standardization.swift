/// Per-dimension standardisation of item vectors: `(x − mean) / std` column by column, so every
/// dimension of the embedding weighs the same in the quantiser's Euclidean distances.
///
/// Columns are `[n, dim]` row-major; a constant column (std 0) is only centred.
public struct Standardization: Equatable, Sendable, Codable {
    /// Column means, `[dim]`.
    public let mean: [Float]
    /// Column standard deviations (population), `[dim]`; 1 where a column is constant.
    public let std: [Float]

    /// Statistics given directly (as stored with a tokenizer); `std` must be positive.
    public init(mean: [Float], std: [Float]) {
        precondition(mean.count == std.count && std.allSatisfy { $0 > 0 }, "mean and positive std of one width")
        self.mean = mean
        self.std = std
    }

    /// The statistics of `values` `[n, dim]` (n ≥ 1), accumulated in Double.
    public init(fitting values: [Float], dim: Int) {
        precondition(dim > 0 && values.count % dim == 0 && !values.isEmpty, "values are not [n, \(dim)] with n > 0")
        let n = values.count / dim
        var sums = [Double](repeating: 0, count: dim), squares = [Double](repeating: 0, count: dim)
        for row in 0..<n {
            for j in 0..<dim {
                let value = Double(values[row * dim + j])
                sums[j] += value
                squares[j] += value * value
            }
        }
        mean = sums.map { Float($0 / Double(n)) }
        std = (0..<dim).map { j in
            let variance = max(0, squares[j] / Double(n) - (sums[j] / Double(n)) * (sums[j] / Double(n)))
            return variance > 1e-12 ? Float(variance.squareRoot()) : 1
        }
    }

    /// Width of the vectors.
    public var dim: Int { mean.count }

    /// `values` `[n, dim]` standardised.
    public func apply(to values: [Float]) -> [Float] {
        precondition(values.count % dim == 0, "values are not [n, \(dim)]")
        let scale = std.map { 1 / $0 }
        var result = values
        result.withUnsafeMutableBufferPointer { result in
            for row in 0..<result.count / dim {
                let base = row * dim
                for j in 0..<dim { result[base + j] = (result[base + j] - mean[j]) * scale[j] }
            }
        }
        return result
    }
}
