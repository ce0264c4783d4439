import Datasets
import Dispatch
import Evaluation
import Foundation
import Recommenders
import XCTest

/// The sequential known answer: two communities of 6 items, each user walks 3 to 5 of its
/// community's items in a fixed cyclic order from its own starting point, so the next (unseen) item
/// is determined by the last one. (The shared checkerboard of `KnownAnswerTests` orders every history the same way, so its
/// last item, which SASRec holds out for early stopping, is never seen in training.)
final class SASRecKnownAnswerTests: XCTestCase {
    func testRanksTheNextItemOfACycleFirstThreadSafelyAndDeterministically() throws {
        let (data, sequences, next) = Fixtures.cyclicWalks()
        let make = {
            SASRec(config: .init(dim: 16, blocks: 1, heads: 1, maxLength: 8, dropout: 0, learningRate: 0.01, batchSize: 8,
                                 maxEpochs: 200, patience: 200, seed: 3))
        }
        let model = make()
        try model.fit(data)
        let scores = Fixtures.scores(of: model, histories: sequences)
        for (user, history) in sequences.enumerated() {
            XCTAssertEqual(model.recommend(user: Int32(user), history: history, k: 1).first?.item, next[user],
                           "user \(user) after \(history)")
        }
        Fixtures.assertConcurrentScoringMatches(model, histories: sequences, scores: scores)
        let again = make()
        try again.fit(data)
        XCTAssertEqual(Fixtures.scores(of: again, histories: sequences), scores, "refit with the same seed")
        XCTAssertEqual(again.trainingSummary?.epochs.map(\.loss), model.trainingSummary?.epochs.map(\.loss))
        XCTAssertEqual(again.trainingSummary?.bestEpoch, model.trainingSummary?.bestEpoch)
    }

    /// RecBole's block (feed-forward 4 x dim with GELU) learns the same cycles, and its
    /// feed-forward layers have that width.
    func testAWiderGELUFeedForwardLearnsTheCycleToo() throws {
        let (data, sequences, next) = Fixtures.cyclicWalks()
        let model = SASRec(config: .init(dim: 16, blocks: 1, heads: 1, maxLength: 8, dropout: 0, learningRate: 0.01, batchSize: 8,
                                         maxEpochs: 200, patience: 200, seed: 3, feedForwardMultiplier: 4, activation: .gelu))
        try model.fit(data)
        for (user, history) in sequences.enumerated() {
            XCTAssertEqual(model.recommend(user: Int32(user), history: history, k: 1).first?.item, next[user],
                           "user \(user) after \(history)")
        }
        let expand = try XCTUnwrap(model.fittedState().tensors.first { $0.key.hasSuffix(".expand.weight") })
        XCTAssertEqual(Set(expand.value.shape), [16, 64], expand.key)
    }
}

/// SASRec on real data: a short training run on MovieLens-100K (leave-one-out) must beat the
/// popularity baseline on validation NDCG@10 and report what it did.
final class SASRecTests: XCTestCase {
    func testShortTrainingOnMovieLens100KBeatsMostPop() throws {
        let (split, train, evaluator, baseline) = try Fixtures.movieLensValidationBar()

        let model = SASRec(config: .init(dim: 64, blocks: 1, maxLength: 50, learningRate: 2e-3, maxEpochs: 15, patience: 15))
        try model.fit(train)
        let ndcg = try evaluator.evaluate(model, on: split.validation).metrics[MetricKey.ndcg(at: 10)]!
        XCTAssertGreaterThan(ndcg, max(baseline, 0.03) + 0.01, "SASRec \(ndcg) vs MostPop \(baseline)")

        let summary = try XCTUnwrap(model.trainingSummary)
        XCTAssertEqual(summary.epochsRun, 15)
        XCTAssertGreaterThan(summary.bestEpoch, 0)
        XCTAssertLessThan(summary.epochs.last!.loss, summary.epochs.first!.loss)
    }

    func testBothObjectivesLearnAndConfigOverridesSelectThem() throws {
        let candidates = try ModelRegistry.candidates(for: "sasrec", overrides: ["loss": "bce", "maxEpochs": "3"])
        XCTAssertEqual(candidates.map { [$0.config["dropout"]!, $0.config["maxLength"]!, $0.config["weightDecay"]!] },
                       [["0.2", "50", "0.0"], ["0.2", "50", "0.5"], ["0.2", "200", "0.0"], ["0.2", "200", "0.5"],
                        ["0.5", "50", "0.0"], ["0.5", "50", "0.5"], ["0.5", "200", "0.0"], ["0.5", "200", "0.5"]],
                       "the 8-point grid, searched")
        XCTAssertTrue(candidates.allSatisfy { $0.config["loss"] == "bce" && $0.config["maxEpochs"] == "3" })
        let pinned = try ModelRegistry.candidates(for: "sasrec", overrides: ["dropout": "0.5", "maxLength": "50", "weightDecay": "0"])
        XCTAssertEqual(pinned.count, 1, "pinning the three grid axes leaves one point")
        XCTAssertThrowsError(try ModelRegistry.candidates(for: "sasrec", overrides: ["loss": "hinge"]))
    }
}
