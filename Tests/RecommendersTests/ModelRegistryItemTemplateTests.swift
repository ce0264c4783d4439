import Datasets
import Foundation
import ItemLLM
import Recommenders
import XCTest

/// The models that read item text record the template their catalogue was written with in the
/// configuration a report and a saved model keep, and take that configuration back.
final class ModelRegistryItemTemplateTests: XCTestCase {
    /// Three described items, two users with three interactions each.
    private let dataset = InteractionDataset(
        name: "shop", userIDs: ["u1", "u2"], itemIDs: ["a", "b", "c"],
        items: [ItemRecord(rawID: "a", fields: ["title": "Stapler", "brand": "Swingline", "price": "12"]),
                ItemRecord(rawID: "b", fields: ["title": "Marker", "brand": "Sharpie"]),
                ItemRecord(rawID: "c", fields: ["title": "Notebook"])],
        users: [],
        interactions: (0..<6).map { Interaction(user: Int32($0 / 3), item: Int32($0 % 3), rating: 1, timestamp: Int64($0)) })

    /// `Data/minilm` from `make setup`; skips (after a failure) when it is missing.
    private func miniLM() throws -> ModelDirectory {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        do { return try ModelDirectory(path: root.appendingPathComponent(ModelDirectory.defaultPath).path) } catch {
            XCTFail("\(error)")
            throw XCTSkip("no item LLM")
        }
    }

    func testHLLMAndTheHybridRecordTheItemTemplateAndReadTheirConfigurationBack() throws {
        var experiment = Experiment(dataset: dataset)
        try experiment.attachItemLLM(modelDirectory: try miniLM(), store: nil, itemTemplate: "title,price")
        XCTAssertEqual(experiment.itemLLM?.texts, ["Title: Stapler. Price: 12.", "Title: Marker.", "Title: Notebook."])
        for model in ["hllm", "tiger-hybrid"] {
            let candidate = try ModelRegistry.candidates(for: model, itemLLM: experiment.itemLLM)[0]
            XCTAssertEqual(candidate.config[ModelRegistry.itemTemplateKey], "fields-title-price", model)
            // What `train` saves comes back as overrides when the model is loaded.
            let reread = try ModelRegistry.candidates(for: model, overrides: candidate.config, itemLLM: experiment.itemLLM)[0]
            XCTAssertEqual(reread.config[ModelRegistry.itemTemplateKey], "fields-title-price", model)
        }
        XCTAssertNil(try ModelRegistry.candidates(for: "tiger")[0].config[ModelRegistry.itemTemplateKey])
        // The hybrid reads history items' text in its encoder by default; TIGER alone has no text.
        XCTAssertEqual(try ModelRegistry.candidates(for: "tiger-hybrid", itemLLM: experiment.itemLLM)[0].config["encoderItemText"], "true")
        XCTAssertEqual(try ModelRegistry.candidates(for: "tiger")[0].config["encoderItemText"], "false")

        try experiment.attachItemLLM(modelDirectory: try miniLM(), store: nil)
        XCTAssertEqual(try ModelRegistry.candidates(for: "hllm", itemLLM: experiment.itemLLM)[0].config[ModelRegistry.itemTemplateKey],
                       "amazon", "title and brand: the derived template is amazon's")
    }
}
