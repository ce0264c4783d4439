import LinearAlgebra
import SeededRandom

/// Lloyd's k-means (Lloyd 1982) with k-means++ seeding (Arthur & Vassilvitskii 2007), seeded and
/// deterministic.
///
/// Distances go through `NearestCentroid` (one `sgemm` per block of points). Like faiss, the
/// centroids are trained on a seeded sample of at most `maxPointsPerCentroid × clusters` points
/// (seeded by k-means++ on a smaller sample of `seedingPointsPerCentroid × clusters`),
/// which changes little in quality and bounds the cost on large catalogues; every point is then
/// assigned to its nearest final centroid. A cluster left empty after an assignment step is
/// re-seeded with the point farthest from its centroid (each such point used once per step).
public struct KMeans: Sendable {
    /// Settings, with documented defaults.
    public struct Configuration: Codable, Equatable, Sendable {
        /// Number of centroids k (2...65,536).
        public var clusters: Int
        /// Lloyd iterations at most.
        public var maxIterations: Int = 25
        /// Stop once the mean squared distance improves by less than this fraction in an iteration.
        public var tolerance: Double = 1e-4
        /// The training sample holds at most this many points per centroid (faiss's default 256).
        public var maxPointsPerCentroid: Int = 256
        /// k-means++ seeds from a sample of at most this many points per centroid (each seed costs
        /// a pass over the points it draws from).
        public var seedingPointsPerCentroid: Int = 32
        /// Seed of the sample and of the k-means++ draws.
        public var seed: UInt64 = 42

        /// k-means with `clusters` centroids and the defaults above.
        public init(clusters: Int, maxIterations: Int = 25, tolerance: Double = 1e-4, maxPointsPerCentroid: Int = 256,
                    seed: UInt64 = 42) {
            self.clusters = clusters
            self.maxIterations = maxIterations
            self.tolerance = tolerance
            self.maxPointsPerCentroid = maxPointsPerCentroid
            self.seed = seed
        }

        /// Throws `SemanticIDError.invalidSetting` for values outside their ranges.
        public func validate() throws {
            guard (2...65_536).contains(clusters) else {
                throw SemanticIDError.invalidSetting("the codebook size must lie in 2...65536, not \(clusters)")
            }
            guard maxIterations >= 1 else { throw SemanticIDError.invalidSetting("k-means needs at least one iteration") }
            guard maxPointsPerCentroid >= 1 else {
                throw SemanticIDError.invalidSetting("maxPointsPerCentroid must be at least 1")
            }
        }
    }

    /// A fitted clustering.
    public struct Result: Sendable {
        /// `[clusters, dim]`, row-major.
        public var centroids: [Float]
        /// Nearest centroid of every input point, `[n]`.
        public var assignments: [Int32]
        /// Squared distance of every input point to its centroid, `[n]`.
        public var distances: [Float]
        /// Lloyd iterations run.
        public var iterations: Int
        /// Empty clusters re-seeded over all iterations.
        public var reseededClusters: Int
        /// Point-centroid distances computed through `sgemm` (for throughput figures).
        public var distanceEvaluations: Int
    }

    /// The settings.
    public let configuration: Configuration

    /// k-means with `configuration`.
    public init(_ configuration: Configuration) {
        self.configuration = configuration
    }

    /// Clusters `points` `[n, dim]` (n ≥ clusters).
    /// - Throws: `SemanticIDError` for bad settings, too few points or non-finite values.
    public func fit(_ points: UnsafeBufferPointer<Float>, dim: Int) throws -> Result {
        try configuration.validate()
        guard dim > 0, points.count % dim == 0 else { throw SemanticIDError.invalidInput("points are not [n, \(dim)]") }
        let n = points.count / dim, k = configuration.clusters
        guard n >= k else {
            throw SemanticIDError.invalidSetting("a codebook of \(k) codes needs at least \(k) items, found \(n)")
        }
        guard points.allSatisfy(\.isFinite) else { throw SemanticIDError.invalidInput("the vectors contain NaN or infinite values") }
        var random = SplitMix64(seed: configuration.seed, stream: 0x6B6D_6561_6E73)  // "kmeans"
        let sample = Self.trainingSample(n: n, limit: k * configuration.maxPointsPerCentroid, random: &random)
        var training = [Float]()
        if let sample {
            training.reserveCapacity(sample.count * dim)
            for point in sample { training += points[point * dim..<(point + 1) * dim] }
        }
        var result = training.withUnsafeBufferPointer { training in
            lloyd(sample == nil ? points : training, dim: dim, random: &random)
        }
        if sample != nil {
            (result.assignments, result.distances) = result.centroids.withUnsafeBufferPointer {
                NearestCentroid.assign(points: points, centroids: $0, dim: dim)
            }
            result.distanceEvaluations += n * k
        }
        return result
    }

    /// A sorted seeded sample of `limit` of `0..<n`, or nil when every point is used.
    static func trainingSample(n: Int, limit: Int, random: inout SplitMix64) -> [Int]? {
        guard n > limit else { return nil }
        var indices = Array(0..<n)
        for i in 0..<limit {  // partial Fisher-Yates
            indices.swapAt(i, i + random.nextIndex(below: n - i))
        }
        return indices[..<limit].sorted()
    }

    private func lloyd(_ points: UnsafeBufferPointer<Float>, dim: Int, random: inout SplitMix64) -> Result {
        let n = points.count / dim, k = configuration.clusters
        var seedingPoints = [Float]()
        if let seedSample = Self.trainingSample(n: n, limit: k * configuration.seedingPointsPerCentroid, random: &random) {
            seedingPoints.reserveCapacity(seedSample.count * dim)
            for point in seedSample { seedingPoints += points[point * dim..<(point + 1) * dim] }
        }
        var centroids = seedingPoints.isEmpty
            ? Self.kMeansPlusPlus(points, dim: dim, clusters: k, random: &random)
            : seedingPoints.withUnsafeBufferPointer { Self.kMeansPlusPlus($0, dim: dim, clusters: k, random: &random) }
        var result = Result(centroids: [], assignments: [], distances: [], iterations: 0, reseededClusters: 0,
                            distanceEvaluations: 0)
        var previousError = Double.infinity
        for iteration in 1...configuration.maxIterations {
            var (assignments, distances) = centroids.withUnsafeBufferPointer {
                NearestCentroid.assign(points: points, centroids: $0, dim: dim)
            }
            result.distanceEvaluations += n * k
            result.reseededClusters += Self.reseedEmptyClusters(points, dim: dim, clusters: k,
                                                                assignments: &assignments, distances: &distances)
            centroids = Self.means(points, dim: dim, clusters: k, assignments: assignments)
            result.iterations = iteration
            (result.assignments, result.distances) = (assignments, distances)
            let meanError = distances.reduce(0.0) { $0 + Double($1) } / Double(n)
            if previousError - meanError <= configuration.tolerance * previousError { break }
            previousError = meanError
        }
        result.centroids = centroids
        (result.assignments, result.distances) = centroids.withUnsafeBufferPointer {
            NearestCentroid.assign(points: points, centroids: $0, dim: dim)
        }
        result.distanceEvaluations += n * k
        return result
    }

    /// k-means++ seeding: the first centre uniformly, each next one with probability proportional
    /// to its squared distance from the nearest centre so far (uniformly when every point sits on
    /// a centre). `[clusters, dim]`.
    static func kMeansPlusPlus(_ points: UnsafeBufferPointer<Float>, dim: Int, clusters: Int,
                               random: inout SplitMix64) -> [Float] {
        let n = points.count / dim
        var centroids = [Float]()
        centroids.reserveCapacity(clusters * dim)
        var nearest = [Float](repeating: .infinity, count: n)
        var chosen = random.nextIndex(below: n)
        let norms = NearestCentroid.squaredNorms(points, dim: dim)
        var toCentre = [Float](repeating: 0, count: n)
        for _ in 0..<clusters {
            let centre = UnsafeBufferPointer(rebasing: points[chosen * dim..<(chosen + 1) * dim])
            centroids += centre
            // ‖x − c‖² = ‖x‖² − 2 x·c + ‖c‖² for every x, the dot products in one sgemv.
            toCentre.withUnsafeMutableBufferPointer { dots in
                BLAS.gemv(rows: n, cols: dim, a: points.baseAddress!, lda: dim, x: centre.baseAddress!, y: dots.baseAddress!)
            }
            let centreNorm = norms[chosen]
            var total = 0.0
            for i in 0..<n {
                nearest[i] = min(nearest[i], max(0, norms[i] - 2 * toCentre[i] + centreNorm))
                total += Double(nearest[i])
            }
            guard total > 0 else {
                chosen = random.nextIndex(below: n)
                continue
            }
            var target = random.nextUnit() * total
            chosen = n - 1
            for i in 0..<n {
                target -= Double(nearest[i])
                if target < 0 { chosen = i; break }
            }
        }
        return centroids
    }

    /// Moves the farthest points into empty clusters (the farthest to the lowest empty index, and
    /// so on); returns how many clusters were empty.
    static func reseedEmptyClusters(_ points: UnsafeBufferPointer<Float>, dim: Int, clusters: Int,
                                    assignments: inout [Int32], distances: inout [Float]) -> Int {
        var sizes = [Int](repeating: 0, count: clusters)
        for cluster in assignments { sizes[Int(cluster)] += 1 }
        let empty = (0..<clusters).filter { sizes[$0] == 0 }
        guard !empty.isEmpty else { return 0 }
        let farthest = (0..<assignments.count).sorted {
            distances[$0] != distances[$1] ? distances[$0] > distances[$1] : $0 < $1
        }
        var next = 0
        for cluster in empty {
            // Take a far point whose own cluster keeps at least one member.
            while next < farthest.count, sizes[Int(assignments[farthest[next]])] <= 1 { next += 1 }
            guard next < farthest.count else { break }
            let point = farthest[next]
            sizes[Int(assignments[point])] -= 1
            sizes[cluster] = 1
            assignments[point] = Int32(cluster)
            distances[point] = 0
            next += 1
        }
        return empty.count
    }

    /// The mean of each cluster's points, `[clusters, dim]` (zero for a cluster with none).
    static func means(_ points: UnsafeBufferPointer<Float>, dim: Int, clusters: Int, assignments: [Int32]) -> [Float] {
        var sums = [Float](repeating: 0, count: clusters * dim)
        var sizes = [Int](repeating: 0, count: clusters)
        sums.withUnsafeMutableBufferPointer { sums in
            for (point, cluster) in assignments.enumerated() {
                let c = Int(cluster)
                sizes[c] += 1
                SIMDKernels.axpy(1, UnsafeBufferPointer(rebasing: points[point * dim..<(point + 1) * dim]),
                                 UnsafeMutableBufferPointer(rebasing: sums[c * dim..<(c + 1) * dim]))
            }
            for c in 0..<clusters where sizes[c] > 1 {
                let scale = 1 / Float(sizes[c])
                for j in c * dim..<(c + 1) * dim { sums[j] *= scale }
            }
        }
        return sums
    }
}
