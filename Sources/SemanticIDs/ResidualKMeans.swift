/// Residual k-means (as in GRID, Ju et al. 2025, and the residual k-means tokenizers of the
/// generative-recommendation literature): level `l`'s codebook is k-means over what levels
/// `0..<l` left unexplained, so the codes go from coarse to fine.
///
/// Input `[n, dim]` item vectors (standardised item-LLM embeddings, say); output
/// `ResidualCodebooks` with `levels` codebooks of `codebookSize` centroids each. Each level's
/// k-means is seeded from `seed` and the level, so a seed gives the same codes on every run.
public struct ResidualKMeans: Sendable {
    /// Settings, with documented defaults.
    public struct Configuration: Codable, Equatable, Sendable {
        /// Codebooks (code positions per item before de-duplication).
        public var levels: Int = 3
        /// Centroids per codebook (TIGER: 256).
        public var codebookSize: Int = 256
        /// Scale each level's input to unit length first (see `ResidualCodebooks`).
        public var normalizesResiduals: Bool = false
        /// Lloyd iterations per level at most.
        public var maxIterations: Int = 25
        /// Training sample per level: at most this many points per centroid.
        public var maxPointsPerCentroid: Int = 256
        /// Seed of every level's k-means.
        public var seed: UInt64 = 42

        /// The defaults above.
        public init() {}
    }

    /// What `fit` produced.
    public struct Fit: Sendable {
        /// The trained codebooks.
        public var codebooks: ResidualCodebooks
        /// Each level's k-means (iterations, re-seeded clusters, distance evaluations).
        public var levelResults: [KMeans.Result]
    }

    /// The settings.
    public let configuration: Configuration

    /// Residual k-means with `configuration`.
    public init(_ configuration: Configuration) {
        self.configuration = configuration
    }

    /// Trains the codebooks on `points` `[n, dim]`.
    /// - Throws: `SemanticIDError` for bad settings (levels outside 1...8, a codebook size outside
    ///   2...65,536 or above n) or non-finite input.
    public func fit(_ points: [Float], dim: Int) throws -> Fit {
        guard (1...8).contains(configuration.levels) else {
            throw SemanticIDError.invalidSetting("levels must lie in 1...8, not \(configuration.levels)")
        }
        guard dim > 0, points.count % dim == 0, !points.isEmpty else {
            throw SemanticIDError.invalidInput("the item vectors are not [n, \(dim)] with n > 0")
        }
        var residual = points
        var scales = [Float](repeating: 1, count: points.count / dim)
        var centroids: [[Float]] = []
        var results: [KMeans.Result] = []
        for level in 0..<configuration.levels {
            if configuration.normalizesResiduals { ResidualCodebooks.normalizeRows(&residual, dim: dim, scales: &scales) }
            let kmeans = KMeans(KMeans.Configuration(
                clusters: configuration.codebookSize, maxIterations: configuration.maxIterations,
                maxPointsPerCentroid: configuration.maxPointsPerCentroid, seed: configuration.seed &+ UInt64(level)))
            let result = try residual.withUnsafeBufferPointer { try kmeans.fit($0, dim: dim) }
            ResidualCodebooks.subtractAssigned(result.centroids, codes: result.assignments, from: &residual, dim: dim)
            centroids.append(result.centroids)
            results.append(result)
        }
        return Fit(codebooks: ResidualCodebooks(dim: dim, centroids: centroids,
                                                normalizesResiduals: configuration.normalizesResiduals),
                   levelResults: results)
    }
}
