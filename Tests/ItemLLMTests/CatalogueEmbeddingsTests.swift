import FeatureStore
import Foundation
import ItemLLM
import XCTest

final class CatalogueEmbeddingsTests: XCTestCase {
    private func temporaryStore() throws -> FeatureStore {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("llmrec-emb-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return try FeatureStore(path: url.path)
    }

    func testRoundTripThroughTheStoreKeepsEveryBitAndCountsVersions() throws {
        let store = try temporaryStore()
        let name = CatalogueEmbeddings.artifactName(dataset: "ml-100k", datasetVersion: 1, model: "minilm",
                                                    template: "movielens", maxTokens: 64)
        XCTAssertEqual(name, "ml-100k/item-embeddings/v1/minilm/movielens/64")
        XCTAssertNil(try CatalogueEmbeddings.latest(named: name, in: store))
        let embeddings = CatalogueEmbeddings(values: [1, -0.5, .pi, -0.0, 1e-30, 3], dim: 2)
        let first = try embeddings.register(named: name, in: store, metadata: ["template": "movielens"])
        XCTAssertEqual(first.version, 1)
        XCTAssertEqual(first.metadata, ["template": "movielens", "dim": "2", "count": "3"])
        let (loaded, artifact) = try XCTUnwrap(try CatalogueEmbeddings.latest(named: name, in: store))
        XCTAssertEqual(loaded.values.map(\.bitPattern), embeddings.values.map(\.bitPattern))
        XCTAssertEqual(loaded.count, 3)
        XCTAssertEqual(artifact.version, 1)
        XCTAssertEqual(try CatalogueEmbeddings(values: [0, 0], dim: 2).register(named: name, in: store).version, 2)
        XCTAssertEqual(try CatalogueEmbeddings.latest(named: name, in: store)?.0.values, [0, 0])
    }
}
