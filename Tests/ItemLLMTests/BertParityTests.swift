import Foundation
import ItemLLM
import NeuralNet
import XCTest

/// The Swift encoder against the independent numpy reference (`tools/reference/minilm_reference.py`)
/// on the real all-MiniLM-L6-v2 weights, token ids taken from the fixture.
final class BertParityTests: XCTestCase {
    struct Fixture: Decodable {
        struct Case: Decodable {
            var text: String
            var ids: [Int32]
            var embedding: [Float]
        }

        var model: String
        var cases: [Case]
    }

    func testEmbeddingsMatchTheReference() throws {
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: MiniLM.fixtureURL))
        XCTAssertFalse(fixture.cases.isEmpty)
        let model = try BertModel(directory: MiniLM.directory())
        XCTAssertEqual(model.dim, 384)
        XCTAssertEqual(model.layers.count, 6)
        // Small batches so the fixture's sequences are spread over several packed batches.
        var encoder = SentenceEncoder(model: model, tokensPerBatch: 64)
        let (embeddings, statistics) = encoder.encode(fixture.cases.map(\.ids))
        XCTAssertEqual(statistics.items, fixture.cases.count)
        XCTAssertEqual(statistics.tokens, fixture.cases.reduce(0) { $0 + $1.ids.count })
        var minCosine = 1.0
        var maxDifference: Float = 0
        for (index, testCase) in fixture.cases.enumerated() {
            XCTAssertEqual(testCase.embedding.count, 384)
            let row = embeddings[index * 384..<(index + 1) * 384]
            let similarity = cosine(row, testCase.embedding[...])
            XCTAssertGreaterThanOrEqual(similarity, 0.9999, "case \(index) '\(testCase.text.prefix(40))'")
            minCosine = min(minCosine, similarity)
            maxDifference = max(maxDifference, zip(row, testCase.embedding).map { abs($0 - $1) }.max()!)
        }
        print("MiniLM parity over \(fixture.cases.count) cases: min cosine \(minCosine), max abs difference \(maxDifference)")
        XCTAssertLessThan(maxDifference, 1e-3)

        // One sequence at a time gives the same embeddings as packed batches.
        var single = SentenceEncoder(model: model, tokensPerBatch: 1)
        let (alone, _) = single.encode(fixture.cases.map(\.ids))
        for (u, v) in zip(alone, embeddings) { XCTAssertEqual(u, v, accuracy: 1e-5) }
    }

    func testMissingOrMisShapedTensorIsNamed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bert-load-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = """
        {"hidden_size": 4, "num_hidden_layers": 1, "num_attention_heads": 2, "intermediate_size": 8, "vocab_size": 10,
         "max_position_embeddings": 6, "type_vocab_size": 2, "layer_norm_eps": 1e-12, "hidden_act": "gelu"}
        """
        try Data(config.utf8).write(to: folder.appendingPathComponent("config.json"))
        try Data("[PAD]\n".utf8).write(to: folder.appendingPathComponent("vocab.txt"))
        let shapes: [String: [Int]] = [
            "embeddings.word_embeddings.weight": [10, 4], "embeddings.position_embeddings.weight": [6, 4],
            "embeddings.token_type_embeddings.weight": [2, 4], "embeddings.LayerNorm.weight": [4], "embeddings.LayerNorm.bias": [4],
            "encoder.layer.0.attention.self.query.weight": [4, 4], "encoder.layer.0.attention.self.query.bias": [4],
            "encoder.layer.0.attention.self.key.weight": [4, 4], "encoder.layer.0.attention.self.key.bias": [4],
            "encoder.layer.0.attention.self.value.weight": [4, 4], "encoder.layer.0.attention.self.value.bias": [4],
            "encoder.layer.0.attention.output.dense.weight": [4, 4], "encoder.layer.0.attention.output.dense.bias": [4],
            "encoder.layer.0.attention.output.LayerNorm.weight": [4], "encoder.layer.0.attention.output.LayerNorm.bias": [4],
            "encoder.layer.0.intermediate.dense.weight": [8, 4], "encoder.layer.0.intermediate.dense.bias": [8],
            "encoder.layer.0.output.dense.weight": [4, 8], "encoder.layer.0.output.dense.bias": [4],
            "encoder.layer.0.output.LayerNorm.weight": [4], "encoder.layer.0.output.LayerNorm.bias": [4],
        ]
        func write(_ shapes: [String: [Int]]) throws -> ModelDirectory {
            var tensors: [String: Safetensors.Tensor] = [:]
            for (name, shape) in shapes {
                let count = shape.reduce(1, *)
                tensors[name] = Safetensors.Tensor(shape: shape, values: (0..<count).map { Float($0) / Float(count) })
            }
            try Safetensors.write(.init(tensors: tensors), to: folder.appendingPathComponent("model.safetensors"))
            return try ModelDirectory(path: folder.path)
        }
        // Complete: loads, and the fused projection stacks query, key and value.
        let model = try BertModel(directory: write(shapes))
        let qkv = model.layers[0].attention.qkv.weight
        XCTAssertEqual(qkv.shape, [12, 4])
        XCTAssertEqual(Array(qkv.value[16..<32]), (0..<16).map { Float($0) / 16 })
        var missing = shapes
        missing["encoder.layer.0.output.dense.bias"] = nil
        XCTAssertThrowsError(try BertModel(directory: write(missing))) { error in
            XCTAssertTrue("\(error)".contains("no tensor 'encoder.layer.0.output.dense.bias'"), "\(error)")
            XCTAssertTrue(error is ItemLLMError)
        }
        var misShaped = shapes
        misShaped["encoder.layer.0.intermediate.dense.weight"] = [4, 8]
        XCTAssertThrowsError(try BertModel(directory: write(misShaped))) { error in
            XCTAssertTrue("\(error)".contains("'encoder.layer.0.intermediate.dense.weight' has shape [4, 8]"), "\(error)")
        }
    }
}
