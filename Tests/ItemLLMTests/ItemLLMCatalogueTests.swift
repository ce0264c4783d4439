import Datasets
import FeatureStore
import Foundation
import ItemLLM
import XCTest

/// The catalogue writes its texts with the template derived from the items' fields (or the one
/// given) and files the embeddings under that template's name.
final class ItemLLMCatalogueTests: XCTestCase {
    private func temporaryStore() throws -> FeatureStore {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("llmrec-catalogue-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return try FeatureStore(path: url.path)
    }

    /// `Fixtures/recbole-amazon` (RecBole atomic files of Amazon data), parsed.
    private func recBoleAmazon() throws -> InteractionDataset {
        let folder = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("recbole-amazon")
        return try loadDataset(at: folder.path, name: "office").dataset
    }

    func testDefaultTemplateFollowsTheItemFieldsAndNamesTheStoredEmbeddings() throws {
        let dataset = try recBoleAmazon()
        let store = try temporaryStore()
        let catalogue = try ItemLLMCatalogue(dataset: dataset, store: store, datasetVersion: 3, modelDirectory: try MiniLM.directory())
        XCTAssertEqual(catalogue.template.name, "amazon")
        XCTAssertEqual(catalogue.template.slots.map(\.field), ["title", "brand", "categories", "description"])
        XCTAssertEqual(dataset.itemIDs, ["B001", "B002", "B003"])
        XCTAssertEqual(catalogue.texts, [
            "Title: Swingline Stapler. Brand: Swingline. Categories: Office Products, Staplers. Description: Jam-free stapler for 20 sheets.",
            "Title: Sharpie Markers, 12 Pack. Brand: Sharpie. Categories: Office Products, Writing.",
            "Title: Plain Notebook. Categories: Office Products, Paper.",
        ])
        let name = try XCTUnwrap(catalogue.artifact?.name)
        XCTAssertTrue(name.hasPrefix("office/item-embeddings/v3/minilm-") && name.hasSuffix("/amazon/64"), name)
        XCTAssertEqual(catalogue.artifact?.metadata["template"], "amazon")

        let titles = try ItemTextTemplate.resolve("title", for: dataset.items)
        let titleCatalogue = try ItemLLMCatalogue(dataset: dataset, store: store, datasetVersion: 3, template: titles,
                                                  modelDirectory: try MiniLM.directory())
        XCTAssertEqual(titleCatalogue.texts, ["Title: Swingline Stapler.", "Title: Sharpie Markers, 12 Pack.", "Title: Plain Notebook."])
        XCTAssertEqual(titleCatalogue.artifact?.name, name.replacingOccurrences(of: "/amazon/", with: "/fields-title/"))
        XCTAssertNotNil(titleCatalogue.encoding, "another template is encoded, not read back")
    }
}
