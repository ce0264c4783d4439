import Datasets
import Foundation
import ItemLLM
import NeuralNet
import Recommenders
import SeededRandom
import XCTest

/// Train once, serve many, for the sequential models: the fitted state of SASRec and HLLM survives
/// safetensors encoding, and a model rebuilt from the same configuration (and item features)
/// restores it without training and scores every history bit for bit as the fitted model did.
/// Bad states (another model's, a missing tensor, a wrong shape, other item features) are refused
/// naming what is wrong, and leave the model as it was.
final class SequentialPersistentStateTests: XCTestCase {
    /// 30 users over 25 items, about 7 items each (3 epochs of a tiny network: well under a second).
    private let data = Fixtures.randomData(users: 30, items: 25, density: 0.3, seed: 4)

    /// Every training history, an empty one and one longer than `maxLength` (cut from the front).
    private var histories: [[Int32]] {
        data.sequences + [[], (0..<25).map { Int32(($0 * 7) % 25) }]
    }

    // MARK: SASRec

    private let sasrecConfig = SASRec.Config(dim: 16, blocks: 2, heads: 2, maxLength: 10, dropout: 0.2, batchSize: 8,
                                             maxEpochs: 3, patience: 3, loss: .crossEntropy, seed: 5)

    private func fittedSASRec() throws -> SASRec {
        let model = SASRec(config: sasrecConfig)
        try model.fit(data)
        return model
    }

    func testSASRecRestoresExactlyTheFittedScores() throws {
        let model = try fittedSASRec()
        let state = try model.fittedState()
        XCTAssertEqual(state.metadata["format"], "llmrec.sasrec.v1")
        XCTAssertEqual(state.metadata["numItems"], "25")
        XCTAssertEqual(state.metadata["epochsRun"], "3")
        XCTAssertEqual(state.metadata["bestEpoch"], model.fitSummary.counts["bestEpoch"].map(String.init))
        XCTAssertEqual(state.tensors["items"]?.shape, [25, 16])
        XCTAssertEqual(state.tensors["positions"]?.shape, [10, 16])
        XCTAssertTrue(state.tensors.keys.contains("encoder.blocks.1.attention.qkv.weight"), "\(state.tensors.keys.sorted())")
        XCTAssertTrue(state.tensors.keys.contains { $0.hasPrefix("encoder.finalNorm") })

        let restored = SASRec(config: sasrecConfig)
        try restored.restoreFittedState(try Safetensors.decode(Safetensors.encode(state)))
        XCTAssertEqual(restored.numItems, 25)
        XCTAssertEqual(bitPatterns(Fixtures.scores(of: restored, histories: histories)),
                       bitPatterns(Fixtures.scores(of: model, histories: histories)))
        XCTAssertEqual(try restored.fittedState().tensors, state.tensors, "a restored model saves the same weights")
    }

    func testSASRecRefusesBadStatesAndStaysAsItWas() throws {
        let model = try fittedSASRec()
        let state = try model.fittedState()
        XCTAssertThrowsError(try SASRec(config: sasrecConfig).fittedState(), "nothing to save before fit")

        var missing = state
        missing.tensors["encoder.blocks.0.attention.qkv.weight"] = nil
        assertRefused(SASRec(config: sasrecConfig), missing, .missingTensor("encoder.blocks.0.attention.qkv.weight"))

        var misshapen = state
        misshapen.tensors["items"] = Safetensors.Tensor(shape: [24, 16], values: Array(state.tensors["items"]!.values.prefix(24 * 16)))
        assertRefused(SASRec(config: sasrecConfig), misshapen, .shapeMismatch(name: "items", expected: [25, 16], found: [24, 16]))

        // Another configuration: one block fewer leaves block 1's tensors unexpected; a wider model misfits.
        var oneBlock = sasrecConfig
        oneBlock.blocks = 1
        assertRefused(SASRec(config: oneBlock), state, containing: "encoder.blocks.1")
        var wider = sasrecConfig
        wider.dim = 32
        assertRefused(SASRec(config: wider), state, .shapeMismatch(name: "items", expected: [25, 32], found: [25, 16]))

        var unformatted = state
        unformatted.metadata["format"] = nil
        assertRefused(SASRec(config: sasrecConfig), unformatted, containing: "no \"format\" metadata; expected \"llmrec.sasrec.v1\"")
        var uncounted = state
        uncounted.metadata["numItems"] = "many"
        assertRefused(SASRec(config: sasrecConfig), uncounted, containing: "numItems")

        // A failed restore leaves a restored model scoring as before.
        let restored = SASRec(config: sasrecConfig)
        try restored.restoreFittedState(state)
        let before = bitPatterns(Fixtures.scores(of: restored, histories: histories))
        XCTAssertThrowsError(try restored.restoreFittedState(misshapen))
        XCTAssertEqual(bitPatterns(Fixtures.scores(of: restored, histories: histories)), before)
        XCTAssertEqual(restored.numItems, 25)
    }

    // MARK: HLLM

    /// Unit-length random 12-d text features of the 25 items.
    private let frozenTable: [Float] = {
        var random = SplitMix64(seed: 21)
        var table = random.normals(count: 25 * 12, std: 1)
        for row in 0..<25 {
            let norm = table[row * 12..<(row + 1) * 12].reduce(0) { $0 + $1 * $1 }.squareRoot()
            for j in row * 12..<(row + 1) * 12 { table[j] /= norm }
        }
        return table
    }()

    private let frozenConfig = HLLM.Config(dim: 16, blocks: 1, heads: 2, maxLength: 10, dropout: 0.2, batchSize: 8,
                                           maxEpochs: 3, patience: 3, loss: .crossEntropy, fuseItemID: true, seed: 6)

    private func frozenHLLM(config: HLLM.Config? = nil, table: [Float]? = nil) -> HLLM {
        let table = table ?? frozenTable
        return HLLM(config: config ?? frozenConfig) { _ in FrozenItemTextFeatures(table: table, dim: 12) }
    }

    func testHLLMWithFrozenFeaturesAndIDFusionRestoresExactlyTheFittedScores() throws {
        let model = frozenHLLM()
        try model.fit(data)
        let state = try model.fittedState()
        XCTAssertEqual(state.metadata["format"], "llmrec.hllm.v1")
        XCTAssertEqual(state.metadata["numItems"], "25")
        XCTAssertEqual(state.metadata["epochsRun"], "3")
        XCTAssertEqual(state.metadata["itemFeatures.count"], "25")
        XCTAssertEqual(state.metadata["itemFeatures.dim"], "12")
        XCTAssertEqual(state.metadata["itemFeatures.sha256"]?.count, 64)
        XCTAssertEqual(state.tensors["itemTower.weight"]?.shape, [16, 12])
        XCTAssertEqual(state.tensors["itemIDs"]?.shape, [25, 16])
        XCTAssertEqual(state.tensors["positions"]?.shape, [10, 16])
        XCTAssertFalse(state.tensors.keys.contains { $0.hasPrefix("itemLLM.") }, "frozen features are not saved")

        let restored = frozenHLLM()
        try restored.restoreFittedState(try Safetensors.decode(Safetensors.encode(state)))
        XCTAssertEqual(restored.numItems, 25)
        XCTAssertEqual(bitPatterns(Fixtures.scores(of: restored, histories: histories)),
                       bitPatterns(Fixtures.scores(of: model, histories: histories)))
        XCTAssertEqual(restored.itemRepresentations?.values.map(\.bitPattern), model.itemRepresentations?.values.map(\.bitPattern))
        XCTAssertEqual(try restored.fittedState(), state.withoutFitFacts, "a restored model saves the same state")
    }

    func testHLLMRefusesBadStatesAndOtherItemFeatures() throws {
        let model = frozenHLLM()
        try model.fit(data)
        let state = try model.fittedState()
        XCTAssertThrowsError(try frozenHLLM().fittedState(), "nothing to save before fit")

        var missing = state
        missing.tensors["itemTower.bias"] = nil
        assertRefused(frozenHLLM(), missing, .missingTensor("itemTower.bias"))

        var misshapen = state
        misshapen.tensors["positions"] = Safetensors.Tensor(shape: [8, 16], values: Array(state.tensors["positions"]!.values.prefix(8 * 16)))
        assertRefused(frozenHLLM(), misshapen, .shapeMismatch(name: "positions", expected: [10, 16], found: [8, 16]))

        let sasrec = try fittedSASRec().fittedState()
        assertRefused(frozenHLLM(), sasrec, containing: "the state has format \"llmrec.sasrec.v1\"; expected \"llmrec.hllm.v1\"")
        assertRefused(SASRec(config: sasrecConfig), state, containing: "the state has format \"llmrec.hllm.v1\"; expected \"llmrec.sasrec.v1\"")

        // An ID-free configuration has no `itemIDs`: the fused state is another model's.
        var idFree = frozenConfig
        idFree.fuseItemID = false
        assertRefused(frozenHLLM(config: idFree), state, containing: "itemIDs")

        // Other frozen features of the same shape, fewer items, or another width.
        var changed = frozenTable
        changed[5] += 1e-3
        assertRefused(frozenHLLM(table: changed), state, containing: "SHA-256")
        XCTAssertThrowsError(try frozenHLLM(table: Array(frozenTable.prefix(24 * 12))).restoreFittedState(state)) { error in
            XCTAssertEqual(error as? HLLMError, .featureCountMismatch(features: 24, items: 25))
        }
        let wide = HLLM(config: frozenConfig) { _ in FrozenItemTextFeatures(table: [Float](repeating: 0.1, count: 25 * 8), dim: 8) }
        assertRefused(wide, state, containing: "12-d")

        // A failed restore leaves a restored model scoring as before.
        let restored = frozenHLLM()
        try restored.restoreFittedState(state)
        let before = bitPatterns(Fixtures.scores(of: restored, histories: histories))
        XCTAssertThrowsError(try restored.restoreFittedState(misshapen))
        XCTAssertEqual(bitPatterns(Fixtures.scores(of: restored, histories: histories)), before)
    }

    /// A tiny random BERT (2 layers, width 16) as the item LLM with its top layer fine-tuned, ID-free,
    /// InfoNCE: the fine-tuned layer is saved under `itemLLM.*` and a restored model (fresh
    /// pretrained features from the factory) rebuilds exactly the fitted item representations.
    func testHLLMWithAFineTunedItemLLMRestoresItsLayersAndExactlyTheFittedScores() throws {
        var random = SplitMix64(seed: 31)
        let bert = BertModel(config: BertConfig(hiddenSize: 16, layerCount: 2, headCount: 2, intermediateSize: 32,
                                                vocabularySize: 40, maxPositionEmbeddings: 16),
                             random: &random)
        for parameter in bert.embeddings.parameters { parameter.value = random.normals(count: parameter.count, std: 1) }
        let tokens = (0..<25).map { _ in [1] + (0..<(2 + random.nextIndex(below: 5))).map { _ in Int32(3 + random.nextIndex(below: 37)) } + [2] }
        let config = HLLM.Config(dim: 16, blocks: 1, heads: 1, maxLength: 10, dropout: 0.1, learningRate: 3e-3,
                                 itemLLMLearningRate: 3e-3, batchSize: 8, maxEpochs: 2, patience: 2, loss: .infoNCE,
                                 negatives: 8, fuseItemID: false, trainableItemLLMLayers: 1, seed: 8)
        let make = {
            HLLM(config: config) { config in
                FineTunedItemTextFeatures(model: bert, itemTokens: tokens, trainableLayers: config.trainableItemLLMLayers,
                                          dropoutRate: 0.1)
            }
        }
        let pretrained = Dictionary(uniqueKeysWithValues: bert.layers[1].parameters.map { ("itemLLM." + $0.name, $0.value) })
        let model = make()
        try model.fit(data)
        let state = try model.fittedState()
        let itemLLM = state.tensors.keys.filter { $0.hasPrefix("itemLLM.") }.sorted()
        XCTAssertEqual(itemLLM.count, bert.layers[1].parameters.count)
        XCTAssertTrue(itemLLM.allSatisfy { $0.hasPrefix("itemLLM.encoder.layer.1.") }, "\(itemLLM)")
        XCTAssertNil(state.tensors["itemIDs"])
        XCTAssertNil(state.metadata["itemFeatures.sha256"], "fine-tuned features are saved as weights, not checked")
        XCTAssertEqual(Set(pretrained.keys), Set(itemLLM))
        XCTAssertTrue(itemLLM.contains { state.tensors[$0]!.values != pretrained[$0] }, "fine-tuning changed the top layer")

        let restored = make()
        try restored.restoreFittedState(try Safetensors.decode(Safetensors.encode(state)))
        XCTAssertEqual(bitPatterns(Fixtures.scores(of: restored, histories: histories)),
                       bitPatterns(Fixtures.scores(of: model, histories: histories)))
        XCTAssertTrue(bert.layers[1].parameters.allSatisfy { $0.value == pretrained["itemLLM." + $0.name] },
                      "fitting and restoring leave the pretrained model unchanged")

        var missing = state
        missing.tensors[itemLLM[0]] = nil
        assertRefused(make(), missing, .missingTensor(itemLLM[0]))
        // The fine-tuned state given to a frozen-features model of the same width: unexpected item-LLM tensors.
        var frozen = config
        frozen.trainableItemLLMLayers = 0
        let frozenModel = HLLM(config: frozen) { _ in FrozenItemTextFeatures(table: [Float](repeating: 0.25, count: 25 * 16), dim: 16) }
        assertRefused(frozenModel, state, containing: "itemLLM.encoder.layer.1")
    }

}

private extension Safetensors.Contents {
    /// The state without the fit's facts (a restored model has not run `fit`).
    var withoutFitFacts: Safetensors.Contents {
        var copy = self
        copy.metadata["epochsRun"] = nil
        copy.metadata["bestEpoch"] = nil
        return copy
    }
}
