import Datasets
import Evaluation
import FeatureStore
import Foundation
import ItemLLM
import LinearAlgebra
import SeededRandom
import SemanticIDs

/// Semantic-ID fitting speed: residual k-means and the RQ-VAE on a real catalogue (Amazon Office,
/// item-LLM embeddings) and on a generated one of `generatedItems` x 384, with k-means's achieved
/// GFLOP/s against the pure distance GEMMs of the same shapes measured in the same run.
struct SemanticIDsBenchmarkResult: Codable {
    /// One catalogue's timings.
    struct Catalogue: Codable {
        var label: String
        var items: Int
        var dim: Int
        /// Residual k-means (3 levels of 256) wall-clock seconds, standardisation included.
        var residualKMeansSeconds: Double
        /// Point-centroid distances computed through sgemm, over all levels and iterations.
        var distanceEvaluations: Int
        /// `2 · evaluations · dim / seconds`.
        var residualKMeansGFLOPS: Double
        /// The same distance products as plain sgemm calls of the fit's block shape, seconds.
        var pureDistanceGEMMSeconds: Double
        /// `residualKMeansSeconds / pureDistanceGEMMSeconds` (target ≤ 3 on the generated catalogue).
        var ratioToGEMM: Double
        /// RQ-VAE epochs trained and seconds (its default epochs on Office; one epoch on the
        /// generated catalogue).
        var rqvaeEpochs: Int
        var rqvaeSeconds: Double
        /// The collision rate of the residual k-means codes before de-duplication.
        var collisionRate: Double
    }

    var catalogues: [Catalogue] = []
    /// Why the Office catalogue was skipped, if it was.
    var officeSkipped: String?

    /// Measures Office (embeddings cached in a store under `scratchDirectory`) and a generated
    /// catalogue of `generatedItems` Gaussian-mixture vectors.
    static func measure(officeDirectory: String, itemLLMDirectory: String, generatedItems: Int,
                        scratchDirectory: String) throws -> SemanticIDsBenchmarkResult {
        var result = SemanticIDsBenchmarkResult()
        if FileManager.default.fileExists(atPath: officeDirectory) {
            progress("semantic IDs: Office catalogue (item-LLM embeddings, cached under \(scratchDirectory))")
            let dataset = try loadDataset(at: officeDirectory, name: "office").dataset
            let store = try FeatureStore(path: (scratchDirectory as NSString).appendingPathComponent("semantic-ids-store"))
            let catalogue = try ItemLLMCatalogue(dataset: dataset, store: store,
                                                 modelDirectory: ModelDirectory(path: itemLLMDirectory)) { progress($0) }
            result.catalogues.append(try measure(label: "Amazon Office (MiniLM)", embeddings: catalogue.embeddings.values,
                                                 dim: catalogue.embeddings.dim, rqvaeEpochs: nil))
        } else {
            result.officeSkipped = "\(officeDirectory) is absent"
        }
        if generatedItems > 0 {
            progress("semantic IDs: generating \(generatedItems) x 384 embeddings")
            let embeddings = generatedEmbeddings(items: generatedItems, dim: 384)
            result.catalogues.append(try measure(label: "generated \(MarkdownTable.grouped(generatedItems)) x 384",
                                                 embeddings: embeddings, dim: 384, rqvaeEpochs: 1))
        }
        return result
    }

    private static func measure(label: String, embeddings: [Float], dim: Int, rqvaeEpochs: Int?) throws -> Catalogue {
        let n = embeddings.count / dim
        progress("semantic IDs: residual k-means on \(label)")
        let configuration = ResidualKMeans.Configuration()
        var standardized: [Float] = []
        let (fit, seconds) = try Stopwatch.time { () throws -> ResidualKMeans.Fit in
            standardized = Standardization(fitting: embeddings, dim: dim).apply(to: embeddings)
            return try ResidualKMeans(configuration).fit(standardized, dim: dim)
        }
        let evaluations = fit.levelResults.reduce(0) { $0 + $1.distanceEvaluations }
        let gemmSeconds = pureDistanceGEMMSeconds(evaluations: evaluations, dim: dim, clusters: configuration.codebookSize)
        let distinctCodes = fit.codebooks.encode(standardized).codes.groupsSharingCode().count

        var rqvae = RQVAE.Configuration()
        if let rqvaeEpochs { rqvae.epochs = rqvaeEpochs }
        progress("semantic IDs: RQ-VAE, \(rqvae.epochs) epochs on \(label)")
        let (_, rqvaeSeconds) = try Stopwatch.time { try RQVAE.train(points: standardized, dim: dim, configuration: rqvae) }
        return Catalogue(label: label, items: n, dim: dim, residualKMeansSeconds: seconds, distanceEvaluations: evaluations,
                         residualKMeansGFLOPS: 2 * Double(evaluations) * Double(dim) / seconds / 1e9,
                         pureDistanceGEMMSeconds: gemmSeconds, ratioToGEMM: seconds / gemmSeconds,
                         rqvaeEpochs: rqvae.epochs, rqvaeSeconds: rqvaeSeconds,
                         collisionRate: 1 - Double(distinctCodes) / Double(n))
    }

    /// Seconds sgemm takes for `evaluations` point-centroid dot products in blocks of
    /// `NearestCentroid.blockRows` points against `clusters` centroids, timed on 64 blocks (OpenBLAS's
    /// default threads) and scaled.
    private static func pureDistanceGEMMSeconds(evaluations: Int, dim: Int, clusters: Int) -> Double {
        let rows = NearestCentroid.blockRows * 64
        let a = (0..<rows * dim).map { Float($0 % 17) / 17 - 0.5 }, b = (0..<clusters * dim).map { Float($0 % 13) / 13 - 0.5 }
        var c = [Float](repeating: 0, count: rows * clusters)
        let multiply = {
            c.withUnsafeMutableBufferPointer { c in
                BLAS.gemm(transposeB: true, m: rows, n: clusters, k: dim, a: a, lda: dim, b: b, ldb: dim, c: c.baseAddress!, ldc: clusters)
            }
        }
        multiply()
        let best = (0..<5).map { _ in Stopwatch.time(multiply).seconds }.min()!
        return best * Double(evaluations) / Double(rows * clusters)
    }

    /// `[items, dim]` vectors around 4,096 random centres (unit Gaussian centres, noise 0.5),
    /// L2-normalised like sentence embeddings; seeded.
    static func generatedEmbeddings(items: Int, dim: Int) -> [Float] {
        var random = SplitMix64(seed: 2026)
        let centres = random.normals(count: 4_096 * dim, std: 1)
        var values = [Float](repeating: 0, count: items * dim)
        for item in 0..<items {
            let centre = random.nextIndex(below: 4_096)
            var norm: Float = 0
            for j in 0..<dim {
                let value = centres[centre * dim + j] + 0.5 * Float(random.nextStandardNormal())
                values[item * dim + j] = value
                norm += value * value
            }
            let scale = 1 / norm.squareRoot()
            for j in 0..<dim { values[item * dim + j] *= scale }
        }
        return values
    }

    /// The markdown section.
    func markdownSection() -> String {
        var table = MarkdownTable(header: ["catalogue", "items", "dim", "residual k-means (s)", "GFLOP/s", "distance GEMMs alone (s)",
                                           "k-means / GEMM", "collision rate", "RQ-VAE epochs", "RQ-VAE (s)"],
                                  rightAligned: Set(1...9))
        table.rows = catalogues.map { c in
            [c.label, MarkdownTable.grouped(c.items), "\(c.dim)", MarkdownTable.decimal(c.residualKMeansSeconds, digits: 2),
             MarkdownTable.decimal(c.residualKMeansGFLOPS, digits: 1), MarkdownTable.decimal(c.pureDistanceGEMMSeconds, digits: 2),
             MarkdownTable.decimal(c.ratioToGEMM, digits: 2), MarkdownTable.decimal(c.collisionRate, digits: 4),
             "\(c.rqvaeEpochs)", MarkdownTable.decimal(c.rqvaeSeconds, digits: 2)]
        }
        return "## Semantic IDs (3 levels x 256 codes; k-means on at most 256 points per centroid, every item assigned)\n\n"
            + table.rendered()
            + "\nTargets: Office residual k-means < 1 s, Office RQ-VAE < 60 s, generated catalogue k-means within 3x of its distance GEMMs."
            + (officeSkipped.map { "\nOffice skipped: \($0)." } ?? "") + "\n"
    }
}
