import Datasets
import Dispatch
import Evaluation
import Foundation
import ItemLLM
import NeuralNet
import Recommenders
import SeededRandom
import XCTest

/// Item text features for the tests: a fixed random `[count, baseDim]` table, optionally followed
/// by a trainable linear layer (standing in for the item LLM's trainable top layers); `calls`, when
/// given, records what training uses of them.
struct TestFeatures: ItemTextFeatures {
    /// What the trainer asked of the features, shared by every copy.
    final class Calls {
        /// The items of the last training `forward`.
        var trainingItems: [Int32] = []
        /// The last `backward`'s dLoss/dfeatures `[trainingItems.count, dim]`.
        var dFeatures: [Float] = []
    }

    let base: [Float]
    let baseDim: Int
    var projection: Linear?
    let calls: Calls?

    init(base: [Float], baseDim: Int, projectTo projected: Int? = nil, seed: UInt64 = 7, calls: Calls? = nil) {
        self.base = base
        self.baseDim = baseDim
        var random = SplitMix64(seed: seed)
        projection = projected.map { Linear(name: "itemLLM.top", inputSize: baseDim, outputSize: $0, random: &random) }
        self.calls = calls
    }

    var dim: Int { projection?.outputSize ?? baseDim }
    var count: Int { base.count / baseDim }
    var parameters: [Parameter] { projection?.parameters ?? [] }

    mutating func forward(items: [Int32], training: Bool) -> [Float] {
        if training { calls?.trainingItems = items }
        var rows = [Float]()
        rows.reserveCapacity(items.count * baseDim)
        for item in items { rows.append(contentsOf: base[Int(item) * baseDim..<(Int(item) + 1) * baseDim]) }
        return projection == nil ? rows : projection!.forward(rows)
    }

    mutating func backward(_ dFeatures: [Float]) {
        calls?.dFeatures = dFeatures
        if projection != nil { _ = projection!.backward(dFeatures) }
    }
}

/// `[count, dim]` values from N(0, 1).
func randomTable(count: Int, dim: Int, seed: UInt64) -> [Float] {
    var random = SplitMix64(seed: seed)
    return random.normals(count: count * dim, std: 1)
}

/// `[count, dim]` rows from N(0, 1), each scaled to unit length (as MiniLM's sentence embeddings).
private func normalisedTable(count: Int, dim: Int, seed: UInt64) -> [Float] {
    var table = randomTable(count: count, dim: dim, seed: seed)
    for row in 0..<count {
        let norm = table[row * dim..<(row + 1) * dim].reduce(0) { $0 + $1 * $1 }.squareRoot()
        for j in row * dim..<(row + 1) * dim { table[j] /= norm }
    }
    return table
}


/// HLLM (Chen et al. 2024): gradients of the whole training loss, the sequential known answer,
/// determinism and thread safety, and ranking cold items by their text alone.
final class HLLMTests: XCTestCase {
    /// Central differences of the training loss (one batch of every user) against the analytic
    /// gradient of every parameter: item tower, item-ID embedding, positions, encoder and the
    /// features' own trainable layer, for both objectives, with and without ID fusion. Item 9 is
    /// cold: it must get no gradient at all.
    func testTrainingLossGradientsMatchFiniteDifferences() throws {
        var random = SplitMix64(seed: 11)
        let sequences: [[Int32]] = (0..<6).map { _ in (0..<(3 + random.nextIndex(below: 4))).map { _ in Int32(random.nextIndex(below: 9)) } }
        let data = TrainingData(numUsers: 6, numItems: 10, sequences: sequences)
        let base = randomTable(count: 10, dim: 6, seed: 5)
        for loss in [HLLM.Config.Loss.crossEntropy, .infoNCE] {
            for fuse in [true, false] {
                let config = HLLM.Config(dim: 8, blocks: 1, heads: 2, maxLength: 4, dropout: 0, loss: loss, negatives: 5,
                                         fuseItemID: fuse, seed: 9)
                let model = HLLM(config: config) { _ in TestFeatures(base: base, baseDim: 6, projectTo: 5) }
                let probe = try model.lossProbe(for: data)
                let label = "\(loss.rawValue), fuseItemID \(fuse)"
                let names = probe.parameters.map(\.name)
                XCTAssertTrue(names.contains("itemTower.weight") && names.contains("itemLLM.top.weight"), label)
                XCTAssertEqual(names.contains("itemIDs"), fuse, label)
                let loss = probe.lossAndGradients()
                XCTAssertTrue(loss.isFinite && loss > 0, label)
                for parameter in probe.parameters {
                    XCTAssertTrue(parameter.gradient.contains { $0 != 0 }, "\(label) \(parameter.name): no gradient")
                    let result = checkGradient(parameter) { probe.lossAndGradients() }
                    XCTAssertLessThan(result.relativeError, 2e-2, "\(label) \(parameter.name)")
                    XCTAssertLessThanOrEqual(result.oneSided, max(2, parameter.count / 20), "\(label) \(parameter.name)")
                }
                _ = probe.lossAndGradients()
                if let ids = probe.parameters.first(where: { $0.name == "itemIDs" }) {
                    XCTAssertEqual(Array(ids.gradient[9 * 8..<10 * 8]), [Float](repeating: 0, count: 8),
                                   "\(label): the cold item gets no gradient")
                }
            }
        }
    }

    /// SASRec's sequential known answer (two communities of 6 items, each user walks 3 to 5 items
    /// of its community in a fixed cyclic order, so the next item is determined by the last one),
    /// with informative random text features (unit-length 32-d, like MiniLM's), for both objectives
    /// with and without ID fusion; plus concurrent scoring and refit determinism.
    ///
    /// The internal validation saturates (NDCG@10 = 1) within a few epochs and the loop restores
    /// that early epoch, so whether every full history is already right there depends on the seed
    /// (seeds 1 to 6 at this learning rate: 0 to 3 of 48 users wrong in a few of the 24 runs).
    func testRanksTheNextItemOfACycleFirstThreadSafelyAndDeterministically() throws {
        let (data, sequences, next) = Fixtures.cyclicWalks()
        let table = normalisedTable(count: 12, dim: 32, seed: 21)
        for (loss, fuse) in [(HLLM.Config.Loss.crossEntropy, true), (.crossEntropy, false), (.infoNCE, true), (.infoNCE, false)] {
            let label = "\(loss.rawValue), fuseItemID \(fuse)"
            var factoryCalls = 0
            let make = {
                HLLM(config: .init(dim: 16, blocks: 1, heads: 1, maxLength: 8, dropout: 0, learningRate: 0.005, batchSize: 8,
                                   maxEpochs: 200, patience: 200, loss: loss, negatives: 6, fuseItemID: fuse, seed: 2)) { _ in
                    factoryCalls += 1
                    return FrozenItemTextFeatures(table: table, dim: 32)
                }
            }
            let model = make()
            try model.fit(data)
            XCTAssertEqual(factoryCalls, 1, label)
            let scores = Fixtures.scores(of: model, histories: sequences)
            for (user, history) in sequences.enumerated() {
                XCTAssertEqual(model.recommend(user: Int32(user), history: history, k: 1).first?.item, next[user],
                               "\(label): user \(user) after \(history)")
            }
            Fixtures.assertConcurrentScoringMatches(model, histories: sequences, scores: scores, label)
            let again = make()
            try again.fit(data)
            XCTAssertEqual(Fixtures.scores(of: again, histories: sequences), scores, "\(label): refit with the same seed")
            XCTAssertEqual(again.trainingSummary?.epochs.map(\.loss), model.trainingSummary?.epochs.map(\.loss), label)
            XCTAssertEqual(again.trainingSummary?.bestEpoch, model.trainingSummary?.bestEpoch, label)
            XCTAssertEqual(model.fitSummary.counts["epochsRun"], 200, label)
            XCTAssertEqual(model.configDescription["fuseItemID"], String(fuse), label)
            XCTAssertEqual(model.configDescription["loss"], loss.rawValue, label)
            // A second fit on the same instance asks for fresh features and repeats the first fit.
            try model.fit(data)
            XCTAssertEqual(factoryCalls, 3, label)
            XCTAssertEqual(Fixtures.scores(of: model, histories: sequences), scores, "\(label): refit of the same instance")
        }
    }

    /// Cold start: 4 clusters of 10 items whose text features are the cluster's one-hot plus noise;
    /// every user walks warm items of one cluster; items 8 and 9 of every cluster never occur in
    /// training. ID-free HLLM must rank the cold items of a history's cluster far above the items of
    /// the other clusters (AUC at least 0.95 per cluster and objective, against 0.5 at random).
    func testRanksUnseenItemsOfTheHistorysClusterByTheirTextAlone() throws {
        let (clusters, perCluster, featureDim) = (4, 10, 12)
        let numItems = clusters * perCluster
        var random = SplitMix64(seed: 17)
        var table = random.normals(count: numItems * featureDim, std: 0.15)
        for item in 0..<numItems { table[item * featureDim + item / perCluster] += 1 }
        let isCold = { (item: Int) in item % perCluster >= 8 }
        var sequences: [[Int32]] = []
        for cluster in 0..<clusters {
            for _ in 0..<30 {
                let length = 5 + random.nextIndex(below: 6)
                sequences.append((0..<length).map { _ in Int32(cluster * perCluster + random.nextIndex(below: 8)) })
            }
        }
        let data = TrainingData(numUsers: sequences.count, numItems: numItems, sequences: sequences)
        XCTAssertFalse(sequences.joined().contains { isCold(Int($0)) })
        for loss in [HLLM.Config.Loss.crossEntropy, .infoNCE] {
            let model = HLLM(config: .init(dim: 16, blocks: 1, heads: 1, maxLength: 10, dropout: 0.1, learningRate: 5e-3,
                                           batchSize: 16, maxEpochs: 30, patience: 30, loss: loss, negatives: 10,
                                           fuseItemID: false, seed: 5)) { _ in
                FrozenItemTextFeatures(table: table, dim: featureDim)
            }
            try model.fit(data)
            for cluster in 0..<clusters {
                let history = sequences[cluster * 30]
                let scores = Fixtures.scores(of: model, histories: [history])[0]
                let cold = (0..<perCluster).map { cluster * perCluster + $0 }.filter(isCold)
                let others = (0..<numItems).filter { $0 / perCluster != cluster }
                var above = 0
                for c in cold { for o in others where scores[c] > scores[o] { above += 1 } }
                let auc = Double(above) / Double(cold.count * others.count)
                XCTAssertGreaterThanOrEqual(auc, 0.95, "\(loss.rawValue): cluster \(cluster), scores \(scores)")
            }
        }
    }

    func testRejectsFeaturesThatDoNotCoverTheCatalogue() {
        let model = HLLM(config: .init(maxEpochs: 1, patience: 1)) { _ in FrozenItemTextFeatures(table: [0, 0, 0, 0], dim: 2) }
        let data = TrainingData(numUsers: 1, numItems: 3, sequences: [[0, 1, 2]])
        XCTAssertThrowsError(try model.fit(data)) { error in
            XCTAssertEqual(error as? HLLMError, .featureCountMismatch(features: 2, items: 3))
        }
    }

    func testConfigRoundTripsThroughJSONWithStableFieldNames() throws {
        let config = HLLM.Config()
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(config)) as! [String: Any]
        XCTAssertEqual(Set(json.keys), ["dim", "blocks", "heads", "maxLength", "dropout", "learningRate",
                                        "itemLLMLearningRate", "weightDecay", "batchSize", "maxEpochs", "patience",
                                        "loss", "negatives", "fuseItemID", "trainableItemLLMLayers", "itemLLMRefreshSteps",
                                        "itemLLMLiveItems", "seed"])
        XCTAssertEqual(json["loss"] as? String, "crossEntropy")
        XCTAssertEqual(try JSONDecoder().decode(HLLM.Config.self, from: JSONEncoder().encode(config)), config)
        XCTAssertEqual(HLLM.modelName, "hllm")
    }
}

/// HLLM on real data: a short run on MovieLens-100K (leave-one-out) with random unit-length 384-d
/// stand-ins for the MiniLM features and ID fusion must beat the popularity baseline on validation
/// NDCG@10 (the real evaluation with MiniLM features is the pipeline's).
final class HLLMMovieLensTests: XCTestCase {
    func testShortTrainingOnMovieLens100KBeatsMostPop() throws {
        let (split, train, evaluator, baseline) = try Fixtures.movieLensValidationBar()

        let table = normalisedTable(count: split.numItems, dim: 384, seed: 1)
        let model = HLLM(config: .init(dim: 64, blocks: 1, maxLength: 50, learningRate: 2e-3, maxEpochs: 10, patience: 10)) { _ in
            FrozenItemTextFeatures(table: table, dim: 384)
        }
        try model.fit(train)
        let ndcg = try evaluator.evaluate(model, on: split.validation).metrics[MetricKey.ndcg(at: 10)]!
        XCTAssertGreaterThan(ndcg, max(baseline, 0.03) + 0.01, "HLLM \(ndcg) vs MostPop \(baseline)")
        let summary = try XCTUnwrap(model.trainingSummary)
        XCTAssertEqual(summary.epochsRun, 10)
        XCTAssertLessThan(summary.epochs.last!.loss, summary.epochs.first!.loss)
    }
}
