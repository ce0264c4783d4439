import LinearAlgebra

/// L codebooks applied one after another to what the previous levels left unexplained (residual
/// quantisation, Juang & Gray 1982; as used by RQ-VAE, Lee et al. 2022, and residual k-means,
/// GRID, Ju et al. 2025).
///
/// Level `l` quantises its input `r_l` `[dim]` to the nearest of its centroids `C_l` `[size_l, dim]`;
/// the next level's input is `r_{l+1} = r_l − C_l[code]`, with `r_0 = x`. With `normalizesResiduals`
/// each level first scales its input to unit length (`r_l / ‖r_l‖`), so every level clusters
/// directions and no level is dominated by the norms the previous ones left.
public struct ResidualCodebooks: Equatable, Sendable {
    /// Width of the vectors quantised.
    public let dim: Int
    /// Per level, `[size_l, dim]` centroids, row-major.
    public var centroids: [[Float]]
    /// Whether each level's input is scaled to unit length before it is quantised.
    public let normalizesResiduals: Bool

    /// Codebooks over `dim`-wide vectors.
    public init(dim: Int, centroids: [[Float]], normalizesResiduals: Bool) {
        precondition(dim > 0 && !centroids.isEmpty && centroids.allSatisfy { !$0.isEmpty && $0.count % dim == 0 },
                     "every level needs a non-empty [size, \(dim)] codebook")
        self.dim = dim
        self.centroids = centroids
        self.normalizesResiduals = normalizesResiduals
    }

    /// Number of levels.
    public var levels: Int { centroids.count }

    /// Codebook size per level.
    public var codebookSizes: [Int] { centroids.map { $0.count / dim } }

    /// What encoding a batch gives.
    public struct Encoding: Sendable {
        /// `[n, levels]` codes.
        public var codes: SemanticIDCodes
        /// Each point's input to the last level, `[n, dim]` (what a balanced last level re-assigns).
        public var lastLevelInputs: [Float]
        /// Squared distance of each point's last-level input to its chosen centroid, `[n]`.
        public var lastLevelDistances: [Float]
        /// `‖x − x̂‖²` per point in the input space, `[n]`: the last residual, scaled back by the
        /// norms the levels divided by when `normalizesResiduals`.
        public var squaredErrors: [Float]
    }

    /// Quantises `points` `[n, dim]` level by level.
    public func encode(_ points: [Float]) -> Encoding {
        precondition(points.count % dim == 0, "points are not [n, \(dim)]")
        let n = points.count / dim
        var residual = points
        var scales = [Float](repeating: 1, count: n)
        var codes = [Int32](repeating: 0, count: n * levels)
        var lastLevelInputs: [Float] = []
        var lastDistances = [Float](repeating: 0, count: n)
        for level in 0..<levels {
            if normalizesResiduals { Self.normalizeRows(&residual, dim: dim, scales: &scales) }
            if level == levels - 1 { lastLevelInputs = residual }
            let (assignments, distances) = residual.withUnsafeBufferPointer { points in
                centroids[level].withUnsafeBufferPointer { NearestCentroid.assign(points: points, centroids: $0, dim: dim) }
            }
            for point in 0..<n { codes[point * levels + level] = assignments[point] }
            Self.subtractAssigned(centroids[level], codes: assignments, from: &residual, dim: dim)
            lastDistances = distances
        }
        let squaredErrors = (0..<n).map { point -> Float in
            let row = residual[point * dim..<(point + 1) * dim]
            return row.reduce(0) { $0 + $1 * $1 } * scales[point] * scales[point]
        }
        return Encoding(codes: try! SemanticIDCodes(codes: codes, codebookSizes: codebookSizes), lastLevelInputs: lastLevelInputs,
                        lastLevelDistances: lastDistances, squaredErrors: squaredErrors)
    }

    /// The sum of each item's centroids, `[n, dim]`: the reconstruction of an unnormalised encoding.
    public func decode(_ codes: SemanticIDCodes) -> [Float] {
        precondition(codes.levels >= levels, "codes have \(codes.levels) levels, the codebooks \(levels)")
        var result = [Float](repeating: 0, count: codes.count * dim)
        for item in 0..<codes.count {
            for level in 0..<levels {
                let code = Int(codes.codes[item * codes.levels + level])
                for j in 0..<dim { result[item * dim + j] += centroids[level][code * dim + j] }
            }
        }
        return result
    }

    /// `residual[i] −= centroids[codes[i]]` for every `[dim]` row `i`.
    static func subtractAssigned(_ centroids: [Float], codes: [Int32], from residual: inout [Float], dim: Int) {
        centroids.withUnsafeBufferPointer { centroids in
            residual.withUnsafeMutableBufferPointer { residual in
                for (point, code) in codes.enumerated() {
                    SIMDKernels.axpy(-1, UnsafeBufferPointer(rebasing: centroids[Int(code) * dim..<(Int(code) + 1) * dim]),
                                     UnsafeMutableBufferPointer(rebasing: residual[point * dim..<(point + 1) * dim]))
                }
            }
        }
    }

    /// Scales every `[dim]` row of `values` to unit length (a zero row stays zero) and multiplies
    /// `scales[row]` by the norm divided out.
    static func normalizeRows(_ values: inout [Float], dim: Int, scales: inout [Float]) {
        for row in 0..<values.count / dim {
            let range = row * dim..<(row + 1) * dim
            let norm = values[range].reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard norm > 0 else { continue }
            for j in range { values[j] /= norm }
            scales[row] *= norm
        }
    }
}
