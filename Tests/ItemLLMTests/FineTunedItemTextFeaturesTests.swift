import GradientTestSupport
import Foundation
import ItemLLM
import NeuralNet
import SeededRandom
import XCTest

final class FineTunedItemTextFeaturesTests: XCTestCase {
    /// A small catalogue: the fixture's token ids plus random `[CLS] ... [SEP]` sequences.
    private func catalogue() throws -> [[Int32]] {
        struct Fixture: Decodable {
            struct Case: Decodable { var ids: [Int32] }
            var cases: [Case]
        }
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: MiniLM.fixtureURL))
        var random = SplitMix64(seed: 42)
        let synthetic = (0..<20).map { _ -> [Int32] in
            [101] + (0..<(3 + random.nextIndex(below: 30))).map { _ in Int32(1000 + random.nextIndex(below: 28000)) } + [102]
        }
        return fixture.cases.map(\.ids) + synthetic
    }

    func testInferenceEqualsTheSentenceEncoder() throws {
        let model = try BertModel(directory: MiniLM.directory())
        let items = try catalogue()
        var encoder = SentenceEncoder(model: model)
        let (expected, _) = encoder.encode(items)
        let all = (0..<Int32(items.count)).map { $0 }
        for trainable in [1, 2] {
            var features = FineTunedItemTextFeatures(model: model, itemTokens: items, trainableLayers: trainable,
                                                     tokensPerBatch: 200)
            XCTAssertEqual(features.dim, 384)
            XCTAssertEqual(features.count, items.count)
            XCTAssertEqual(features.parameters.count, 12 * trainable)
            XCTAssertTrue(zip(features.parameters, model.layers[(6 - trainable)...].flatMap(\.parameters))
                .allSatisfy { $0.value == $1.value && $0 !== $1 })
            let actual = features.forward(items: all, training: false)
            XCTAssertEqual(actual.count, expected.count)
            let difference = zip(actual, expected).map { abs($0 - $1) }.max()!
            XCTAssertLessThan(difference, 1e-5, "trainable layers \(trainable)")
            // A training forward of a subset (repeats allowed) gives the same rows.
            let subset: [Int32] = [3, 0, 3, 17]
            let rows = features.forward(items: subset, training: true)
            for (r, item) in subset.enumerated() {
                for j in 0..<384 { XCTAssertEqual(rows[r * 384 + j], expected[Int(item) * 384 + j], accuracy: 1e-5) }
            }
        }
    }

    func testTopLayerGradients() throws {
        let model = try BertModel(directory: MiniLM.directory())
        let items = try catalogue()
        let initial = FineTunedItemTextFeatures(model: model, itemTokens: items, trainableLayers: 1, dropoutRate: 0)
        let subset: [Int32] = [8, 2, 8, 25]
        let probe = LinearProbe(count: subset.count * 384, seed: 7)
        var features = initial
        _ = features.forward(items: subset, training: true)
        features.backward(probe.weights)
        XCTAssertTrue(features.parameters.allSatisfy { $0.gradient.contains { $0 != 0 } || $0.name.contains("qkv.bias") })
        assertSampledParameterGradients(features.parameters, samples: 3, epsilon: 1e-2) {
            var copy = initial
            return probe.loss(copy.forward(items: subset, training: false))
        }
    }

    func testEachInstanceStartsFromThePretrainedWeights() throws {
        let model = try BertModel(directory: MiniLM.directory())
        let items = Array(try catalogue().prefix(6))
        let pretrained = model.layers[5].parameters.map(\.value)
        var first = FineTunedItemTextFeatures(model: model, itemTokens: items, trainableLayers: 1)
        let before = first.forward(items: [0, 1, 2], training: false)
        for parameter in first.parameters { parameter.value = parameter.value.map { $0 * 1.5 + 0.01 } }
        XCTAssertNotEqual(first.forward(items: [0, 1, 2], training: false), before)
        XCTAssertEqual(model.layers[5].parameters.map(\.value), pretrained, "the model's layers are untouched")
        var second = FineTunedItemTextFeatures(model: model, itemTokens: items, trainableLayers: 1)
        XCTAssertEqual(second.parameters.map(\.value), pretrained)
        XCTAssertEqual(second.forward(items: [0, 1, 2], training: false), before)
    }
}
