import ItemLLM
import NeuralNet
import Recommenders
import SeededRandom
import XCTest

/// HLLM's fast fine-tuning path (`CachedItemFeatures`: live features for the batch's items, cached
/// ones for the other warm items) against the exact path, on a small catalogue whose features are a
/// fixed table through a trainable linear layer (`TestFeatures`, standing in for the item LLM's top
/// layers), dropout 0.
final class CachedItemFeaturesTests: XCTestCase {
    /// 12 items (11 is cold); 8 users of 3 to 7 items, windows of 3 (so the probe's batch leaves
    /// some warm items out); a 6-d base table projected to 5-d features.
    private let data: TrainingData = {
        var random = SplitMix64(seed: 23)
        let sequences: [[Int32]] = (0..<8).map { _ in
            (0..<(3 + random.nextIndex(below: 5))).map { _ in Int32(random.nextIndex(below: 11)) }
        }
        return TrainingData(numUsers: 8, numItems: 12, sequences: sequences)
    }()
    private let base = randomTable(count: 12, dim: 6, seed: 5)

    private func probe(refreshSteps: Int, liveItems: Int, calls: TestFeatures.Calls) throws -> HLLM.LossProbe {
        let config = HLLM.Config(dim: 8, blocks: 1, heads: 2, maxLength: 3, dropout: 0, itemLLMRefreshSteps: refreshSteps,
                                 itemLLMLiveItems: liveItems, seed: 9)
        let base = base
        return try HLLM(config: config) { _ in TestFeatures(base: base, baseDim: 6, projectTo: 5, calls: calls) }
            .lossProbe(for: data)
    }

    /// With the cache refreshed at every step and no dropout, every row of the fast path's feature
    /// table equals the exact path's (the cache holds the current weights' features), so the loss
    /// and the user model's and the item tower's gradients must agree with the exact path's to
    /// rounding. The item LLM's gradients cannot: the exact path backpropagates the softmax's
    /// gradient of every warm item's feature, the fast path only the live items' (the batch's
    /// items, or a sample of them). What must agree is the gradient with the other items' feature
    /// gradients dropped: the fast path's dLoss/dfeature of each live item equals the exact path's
    /// row of that item, and its top-layer gradient equals the top layer's backward of the exact
    /// path's dLoss/dfeatures restricted to the live rows. This is checked with every step item
    /// live and with a limit of 3 (a sample), both leaving warm items out of the live set.
    func testFreshCacheAgreesWithTheExactPathRestrictedToTheLiveItems() throws {
        let exactCalls = TestFeatures.Calls()
        let exact = try probe(refreshSteps: 0, liveItems: 0, calls: exactCalls)
        let exactLoss = exact.lossAndGradients()
        let warmItems = exactCalls.trainingItems
        XCTAssertEqual(warmItems, Array(Set(data.sequences.flatMap { $0.dropLast() })).sorted())
        XCTAssertFalse(warmItems.contains(11))
        for liveItems in [0, 3] {
            let label = "live items \(liveItems)"
            let fastCalls = TestFeatures.Calls()
            let fast = try probe(refreshSteps: 1, liveItems: liveItems, calls: fastCalls)
            let fastLoss = fast.lossAndGradients()
            XCTAssertEqual(fastLoss, exactLoss, accuracy: 1e-6 * abs(exactLoss), label)

            let live = fastCalls.trainingItems
            XCTAssertTrue(Set(live).isStrictSubset(of: warmItems), "\(label): live \(live) of warm \(warmItems)")
            if liveItems > 0 { XCTAssertEqual(live.count, liveItems, label) }
            XCTAssertEqual(live, live.sorted(), label)

            for (fastParameter, exactParameter) in zip(fast.parameters, exact.parameters)
            where !fastParameter.name.hasPrefix("itemLLM") {
                assertClose(fastParameter.gradient, exactParameter.gradient, "\(label) \(fastParameter.name)")
            }
            // dLoss/dfeatures: the fast path's live rows are the exact path's rows of those items.
            let featureDim = 5
            let exactRows = live.flatMap { item -> ArraySlice<Float> in
                let row = warmItems.firstIndex(of: item)!
                return exactCalls.dFeatures[row * featureDim..<(row + 1) * featureDim]
            }
            assertClose(fastCalls.dFeatures, exactRows, "\(label): live items' dLoss/dfeatures")
            // The top layer's gradient: its backward of the exact rows of the live items.
            var restricted = TestFeatures(base: base, baseDim: 6, projectTo: 5)
            _ = restricted.forward(items: live, training: true)
            restricted.parameters.zeroGradients()
            restricted.backward(exactRows)
            let fastTop = fast.parameters.filter { $0.name.hasPrefix("itemLLM") }
            XCTAssertEqual(fastTop.map(\.name), restricted.parameters.map(\.name), label)
            for (fastParameter, expected) in zip(fastTop, restricted.parameters) {
                XCTAssertTrue(fastParameter.gradient.contains { $0 != 0 }, "\(label) \(fastParameter.name): no gradient")
                assertClose(fastParameter.gradient, expected.gradient, "\(label) \(fastParameter.name)")
            }
        }
    }

    /// With the cache held fixed (never refreshed after the first step) and stale (the top layer
    /// changed since), the fast path's loss is an exact function of the parameters in which the
    /// cached rows are constants, and its gradient is that function's whole gradient: central
    /// differences of every parameter, the item LLM's included, must match it.
    func testStaleCacheGradientsMatchFiniteDifferences() throws {
        for liveItems in [0, 3] {
            let probe = try probe(refreshSteps: 1_000_000, liveItems: liveItems, calls: TestFeatures.Calls())
            _ = probe.lossAndGradients()
            for parameter in probe.parameters where parameter.name.hasPrefix("itemLLM") {
                parameter.value = parameter.value.map { $0 * 0.8 + 0.05 }
            }
            _ = probe.lossAndGradients()
            for parameter in probe.parameters {
                let label = "live items \(liveItems) \(parameter.name)"
                XCTAssertTrue(parameter.gradient.contains { $0 != 0 }, "\(label): no gradient")
                let result = checkGradient(parameter) { probe.lossAndGradients() }
                XCTAssertLessThan(result.relativeError, 2e-2, label)
                XCTAssertLessThanOrEqual(result.oneSided, max(2, parameter.count / 20), label)
            }
        }
    }

    /// The cache is refreshed at every epoch start, so training in slices (2 epochs, then 3, then
    /// the rest) gives the bits of one `fit`, with refreshes inside epochs too (3 steps each, a
    /// refresh every 2) and a live limit.
    func testSlicedTrainingEqualsOneFit() throws {
        let config = HLLM.Config(dim: 8, blocks: 1, heads: 2, maxLength: 3, batchSize: 3, maxEpochs: 7, patience: 7,
                                 trainableItemLLMLayers: 1, itemLLMRefreshSteps: 2, itemLLMLiveItems: 3, seed: 9)
        let base = base
        let make = { HLLM(config: config) { _ in TestFeatures(base: base, baseDim: 6, projectTo: 5) } }
        let whole = make()
        try whole.fit(data)
        let sliced = make()
        try sliced.startFit(data)
        XCTAssertEqual(try sliced.continueFit(epochs: 2).epochsRun, 2)
        XCTAssertEqual(try sliced.continueFit(epochs: 3).epochsRun, 5)
        XCTAssertTrue(try sliced.continueFit(epochs: 100).isFinished)
        sliced.finishFit()
        let (slicedSummary, wholeSummary) = (try XCTUnwrap(sliced.trainingSummary), try XCTUnwrap(whole.trainingSummary))
        XCTAssertEqual(slicedSummary.epochs.map(\.loss), wholeSummary.epochs.map(\.loss))
        XCTAssertEqual(slicedSummary.bestEpoch, wholeSummary.bestEpoch)
        XCTAssertEqual(sliced.itemRepresentations, whole.itemRepresentations)
        XCTAssertEqual(sliced.userStates(histories: data.sequences), whole.userStates(histories: data.sequences))
    }

    /// `max |a - b| <= 1e-5 · max(‖b‖∞, 1e-3)`: equal up to the rounding of a different row order.
    private func assertClose(_ actual: [Float], _ expected: [Float], _ label: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, label, file: file, line: line)
        let scale = max(expected.map(abs).max() ?? 0, 1e-3)
        let error = zip(actual, expected).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThanOrEqual(error, 1e-5 * scale, "\(label): max error \(error), scale \(scale)", file: file, line: line)
    }
}
