import Foundation
import LinearAlgebra
import SeededRandom

/// How good a semantic-ID code set is, measured without any recommender: how evenly each level's
/// codebook is used, how many items collide, how much of the embedding the codes reconstruct,
/// and whether items that are neighbours by text share code prefixes (more often than chance).
///
/// Written as JSON under `reports/<dataset>/semantic-ids.json` (several code sets side by side,
/// e.g. llmrec's own against a published index).
public struct CodeQualityReport: Codable, Equatable, Sendable {
    /// One level's codebook use.
    public struct Level: Codable, Equatable, Sendable {
        /// 1-based level.
        public var level: Int
        /// Codes in the codebook.
        public var codebookSize: Int
        /// Distinct codes some item has.
        public var usedCodes: Int
        /// `usedCodes / codebookSize`.
        public var usage: Double
        /// Entropy of the code distribution over `log(codebookSize)` (1: perfectly even).
        public var normalizedEntropy: Double
    }

    /// How often an item's nearest neighbours by embedding cosine share its first `depth` codes.
    public struct NeighbourhoodPreservation: Codable, Equatable, Sendable {
        /// Prefix length compared.
        public var depth: Int
        /// Mean over items of the share of their `neighbours` nearest neighbours with the same prefix.
        public var share: Double
        /// The share expected by chance: the probability that a random other item has the prefix.
        public var chance: Double
    }

    /// What this code set is ("llmrec rkmeans", "imported Office.index.rq-kmeans.json").
    public var name: String
    /// How it was made (method and settings), free text.
    public var method: String
    /// Items coded.
    public var items: Int
    /// Per level, usage and entropy.
    public var levels: [Level]
    /// `1 − distinct tuples / items` of the quantiser's codes before de-duplication (nil when the
    /// set was imported and its raw codes are unknown).
    public var collisionRateBeforeDeduplication: Double?
    /// The largest group of items sharing a whole tuple before de-duplication (after it for an
    /// imported set).
    public var largestCollisionGroup: Int
    /// `1 − distinct prefixes / items` for prefix lengths 1...levels.
    public var collisionRateByDepth: [Double]
    /// Whether every item has a tuple of its own.
    public var isUnique: Bool
    /// `√(Σ‖x − x̂‖² / Σ‖x‖²)` over items, in the space the quantiser was trained on (nil when unknown).
    public var relativeReconstructionError: Double?
    /// Neighbours compared per item.
    public var neighbours: Int
    /// Prefix sharing at depths 1 and 2 (1 only for a one-level set).
    public var neighbourhood: [NeighbourhoodPreservation]
    /// Seconds to fit the quantiser (nil for an imported set).
    public var fitSeconds: Double?

    /// Measures `codes` (the final, unique set) against the item embeddings they were made from.
    ///
    /// - Parameters:
    ///   - rawCodes: the quantiser's codes before de-duplication (nil for an imported set).
    ///   - embeddings: `[n, dim]` item vectors defining the neighbours (by cosine).
    ///   - relativeReconstructionError, fitSeconds: measured by the caller, when known.
    ///   - neighbours: neighbours per item (10).
    ///   - maxQueries: items whose neighbourhoods are measured (a seeded sample when fewer than n).
    public init(name: String, method: String, codes: SemanticIDCodes, rawCodes: SemanticIDCodes?, embeddings: [Float],
                dim: Int, relativeReconstructionError: Double?, fitSeconds: Double?, neighbours: Int = 10,
                maxQueries: Int = 5_000) {
        precondition(embeddings.count == codes.count * dim, "embeddings must be [\(codes.count), \(dim)]")
        self.name = name
        self.method = method
        items = codes.count
        levels = (0..<codes.levels).map { Self.levelUsage(codes, level: $0) }
        let raw = rawCodes ?? codes
        let rawGroups = raw.groupsSharingCode()
        collisionRateBeforeDeduplication = rawCodes.map { _ in 1 - Double(rawGroups.count) / Double(max(codes.count, 1)) }
        largestCollisionGroup = rawGroups.map(\.count).max() ?? 0
        collisionRateByDepth = (1...codes.levels).map { 1 - Double(codes.prefix($0).groupsSharingCode().count) / Double(max(codes.count, 1)) }
        isUnique = codes.isUnique
        self.relativeReconstructionError = relativeReconstructionError
        self.neighbours = min(neighbours, max(codes.count - 1, 0))
        self.fitSeconds = fitSeconds
        let depths = Array(1...min(2, codes.levels))
        neighbourhood = Self.neighbourhoodPreservation(codes: codes, depths: depths, embeddings: embeddings, dim: dim,
                                                       neighbours: self.neighbours, maxQueries: maxQueries)
    }

    static func levelUsage(_ codes: SemanticIDCodes, level: Int) -> Level {
        let size = codes.codebookSizes[level]
        var counts = [Int](repeating: 0, count: size)
        for item in 0..<codes.count { counts[Int(codes.codes[item * codes.levels + level])] += 1 }
        let n = Double(codes.count)
        let entropy = counts.reduce(0.0) { sum, count in count == 0 ? sum : sum - Double(count) / n * log(Double(count) / n) }
        return Level(level: level + 1, codebookSize: size, usedCodes: counts.filter { $0 > 0 }.count,
                     usage: Double(counts.filter { $0 > 0 }.count) / Double(size),
                     normalizedEntropy: size > 1 ? entropy / log(Double(size)) : 1)
    }

    /// For a seeded sample of at most `maxQueries` items, the share of their `neighbours` nearest
    /// other items (by cosine of `embeddings`, ties to the lower index) that share their first
    /// `depth` codes; and the chance level `Σ_p n_p (n_p − 1) / (n (n − 1))` over prefixes p.
    static func neighbourhoodPreservation(codes: SemanticIDCodes, depths: [Int], embeddings: [Float], dim: Int,
                                          neighbours: Int, maxQueries: Int) -> [NeighbourhoodPreservation] {
        let n = codes.count
        guard neighbours > 0 else {
            return depths.map { NeighbourhoodPreservation(depth: $0, share: 0, chance: 0) }
        }
        var unit = embeddings
        var scales = [Float](repeating: 1, count: n)
        ResidualCodebooks.normalizeRows(&unit, dim: dim, scales: &scales)
        var random = SplitMix64(seed: 7)
        let queries = KMeans.trainingSample(n: n, limit: maxQueries, random: &random) ?? Array(0..<n)
        var shared = [Int](repeating: 0, count: depths.count)
        let block = 256
        var similarities = [Float](repeating: 0, count: block * n)
        for start in stride(from: 0, to: queries.count, by: block) {
            let rows = Array(queries[start..<min(start + block, queries.count)])
            var queryVectors = [Float]()
            for query in rows { queryVectors += unit[query * dim..<(query + 1) * dim] }
            queryVectors.withUnsafeBufferPointer { q in
                unit.withUnsafeBufferPointer { all in
                    similarities.withUnsafeMutableBufferPointer { s in
                        BLAS.gemm(transposeB: true, m: rows.count, n: n, k: dim, a: q.baseAddress!, lda: dim,
                                  b: all.baseAddress!, ldb: dim, c: s.baseAddress!, ldc: n)
                    }
                }
            }
            for (offset, query) in rows.enumerated() {
                let nearest = similarities.withUnsafeBufferPointer {
                    topK(UnsafeBufferPointer(rebasing: $0[offset * n..<(offset + 1) * n]), k: neighbours, excluding: [Int32(query)])
                }
                for (slot, depth) in depths.enumerated() {
                    let prefix = codes[query].prefix(depth)
                    shared[slot] += nearest.filter { codes[$0].prefix(depth) == prefix }.count
                }
            }
        }
        return depths.enumerated().map { slot, depth in
            let groups = codes.prefix(depth).groupsSharingCode()
            let pairs = groups.reduce(0.0) { $0 + Double($1.count) * Double($1.count - 1) }
            return NeighbourhoodPreservation(depth: depth, share: Double(shared[slot]) / Double(queries.count * neighbours),
                                             chance: n > 1 ? pairs / (Double(n) * Double(n - 1)) : 0)
        }
    }
}
