import Datasets
import Evaluation
import NeuralNet
import Recommenders
import XCTest

/// The search behind model selection: successive halving over epoch-trained models (which rung
/// drops whom, how many epochs each gets, exact continuation) and grids that extend at their edge.
final class SearchTests: XCTestCase {
    /// A model whose validation metric after epoch e is `curve[e - 1]` (held after the curve ends),
    /// with early stopping after `patience` epochs without improvement; scores nothing.
    private final class ScriptedModel: EpochTrainedRecommender {
        let curve: [Double]
        let patience: Int
        private(set) var progress = TrainingProgress(epochsRun: 0, bestEpoch: 0, bestMetric: -.infinity,
                                                     latestMetric: -.infinity, isFinished: false)
        private(set) var finished = false
        var numItems = 1
        var name: String { "scripted" }
        var configDescription: [String: String] { [:] }

        init(curve: [Double], patience: Int = 100) {
            self.curve = curve
            self.patience = patience
        }

        func startFit(_ data: TrainingData) throws {}

        func continueFit(epochs: Int) throws -> TrainingProgress {
            var remaining = epochs
            while remaining > 0 && !progress.isFinished {
                remaining -= 1
                progress.epochsRun += 1
                let metric = curve[min(progress.epochsRun, curve.count) - 1]
                progress.latestMetric = metric
                if metric > progress.bestMetric { (progress.bestMetric, progress.bestEpoch) = (metric, progress.epochsRun) }
                progress.isFinished = progress.epochsRun - progress.bestEpoch >= patience || progress.epochsRun >= 1000
            }
            return progress
        }

        func finishFit() { finished = true }

        func scoreBatch(users: [Int32], histories: [[Int32]], into scores: UnsafeMutableBufferPointer<Float>) {
            UnsafeMutableBufferPointer(rebasing: scores[..<histories.count]).update(repeating: 0)
        }
    }

    private let noData = TrainingData(numUsers: 0, numItems: 1, sequences: [])

    /// Four configurations, first rung 2 epochs. After 2 epochs the best so far are 0.20, 0.10,
    /// 0.30, 0.19: models 2 and 0 continue to 4 epochs (model 3 never reaches its 0.50). After 4,
    /// model 0 has 0.22 and model 2 still 0.30 (its early stopping ended it at epoch 4: no gain for
    /// 3 epochs), so model 2 wins without more training. Everyone is finished.
    func testHalvingKeepsTheBetterHalfAndDoublesTheirEpochs() throws {
        let models = [
            ScriptedModel(curve: [0.10, 0.20, 0.21, 0.22]),
            ScriptedModel(curve: [0.05, 0.10]),
            ScriptedModel(curve: [0.30, 0.30, 0.30, 0.30], patience: 3),
            ScriptedModel(curve: [0.01, 0.19, 0.50]),
        ]
        let outcome = try SuccessiveHalving(firstRungEpochs: 2).run(models: models, data: noData)
        XCTAssertEqual(outcome.rungEpochs, [2, 4])
        XCTAssertEqual(outcome.winner, 2)
        XCTAssertEqual(outcome.entrants.map(\.droppedAfterRung), [1, 0, nil, 0])
        XCTAssertEqual(outcome.entrants.map(\.progress.epochsRun), [4, 2, 4, 2])
        XCTAssertEqual(outcome.entrants.map(\.progress.bestMetric), [0.22, 0.10, 0.30, 0.19])
        XCTAssertTrue(models.allSatisfy(\.finished))
    }

    /// Three configurations: two survive rung 1 (ceil(3 / 2)); equal metrics go to the earlier one;
    /// the winner then trains on to its own early stop, past every rung.
    func testHalvingRoundsUpBreaksTiesByOrderAndTrainsTheWinnerToItsEnd() throws {
        let models = [
            ScriptedModel(curve: [0.1], patience: 1000),
            ScriptedModel(curve: [0.2, 0.2, 0.3, 0.3, 0.3, 0.3, 0.4], patience: 5),
            ScriptedModel(curve: [0.2, 0.2, 0.3, 0.3, 0.3, 0.3, 0.4], patience: 5),
        ]
        let outcome = try SuccessiveHalving(firstRungEpochs: 1).run(models: models, data: noData)
        XCTAssertEqual(outcome.rungEpochs, [1, 2])
        XCTAssertEqual(outcome.entrants.map(\.droppedAfterRung), [0, nil, 1])
        // The winner: best 0.4 at epoch 7, held afterwards, so patience 5 ends it at epoch 12.
        XCTAssertEqual(outcome.entrants[1].progress, TrainingProgress(epochsRun: 12, bestEpoch: 7, bestMetric: 0.4,
                                                                      latestMetric: 0.4, isFinished: true))
        XCTAssertEqual(outcome.entrants[2].progress.epochsRun, 2)
    }

    /// Rungs compare the latest metric while training goes on: a configuration past its peak
    /// (best 0.30, now 0.20) loses to one still rising (0.25), and the winner's best epoch is what
    /// it ends with. Once early stopping has ended a configuration, its best counts: the finished
    /// one (best 0.30, latest 0.10) beats the one still training at 0.28.
    func testHalvingRanksByTheLatestMetricWhileTrainingAndTheBestOnceFinished() throws {
        let models = [ScriptedModel(curve: [0.30, 0.20], patience: 5), ScriptedModel(curve: [0.10, 0.25, 0.35], patience: 2)]
        let outcome = try SuccessiveHalving(firstRungEpochs: 2).run(models: models, data: noData)
        XCTAssertEqual(outcome.winner, 1)
        XCTAssertEqual(outcome.entrants[0].progress.bestMetric, 0.30)
        XCTAssertEqual(outcome.entrants[1].progress, TrainingProgress(epochsRun: 5, bestEpoch: 3, bestMetric: 0.35,
                                                                      latestMetric: 0.35, isFinished: true))

        let finishedFirst = [ScriptedModel(curve: [0.30, 0.10], patience: 1), ScriptedModel(curve: [0.20, 0.28, 0.29])]
        XCTAssertEqual(try SuccessiveHalving(firstRungEpochs: 2).run(models: finishedFirst, data: noData).winner, 0)
    }

    /// Training SASRec in slices of 2 and 3 epochs then finishing gives the bits of one `fit`.
    func testSlicedTrainingEqualsOneFit() throws {
        let sequences: [[Int32]] = (0..<30).map { user in (0..<7).map { Int32((user + $0 * 3) % 17) } }
        let data = TrainingData(numUsers: 30, numItems: 17, sequences: sequences)
        let config = SASRec.Config(dim: 8, maxLength: 6, batchSize: 8, maxEpochs: 9, patience: 9)
        let whole = SASRec(config: config)
        try whole.fit(data)
        let sliced = SASRec(config: config)
        try sliced.startFit(data)
        XCTAssertEqual(try sliced.continueFit(epochs: 2).epochsRun, 2)
        XCTAssertEqual(try sliced.continueFit(epochs: 3).epochsRun, 5)
        let end = try sliced.continueFit(epochs: 100)
        XCTAssertEqual(end.epochsRun, 9)
        XCTAssertTrue(end.isFinished)
        sliced.finishFit()
        let (slicedSummary, wholeSummary) = (try XCTUnwrap(sliced.trainingSummary), try XCTUnwrap(whole.trainingSummary))
        XCTAssertEqual(slicedSummary.epochs.map(\.loss), wholeSummary.epochs.map(\.loss))
        XCTAssertEqual(slicedSummary.epochs.map(\.metric), wholeSummary.epochs.map(\.metric))
        XCTAssertEqual(slicedSummary.bestEpoch, wholeSummary.bestEpoch)
        let histories = Array(sequences.prefix(5))
        XCTAssertEqual(sliced.userStates(histories: histories), whole.userStates(histories: histories))
    }

    // MARK: Grids that extend at their edge

    /// A closed-form stand-in whose validation NDCG@10 peaks at `x = 10`: it scores the item after
    /// the history's last one (the community split's next item) 1 and `k` items of the other
    /// community 2, with `k = round(|log₃(x / 10)|)` (at most 5), so the target ranks `k + 1`.
    private final class PeakedModel: ConfigurableRecommender {
        struct Config: Codable, Equatable { var x: Double }
        static let modelName = "peaked"
        static let defaultGrid = [Config(x: 100), Config(x: 300)]
        static let searchAxes = [SearchAxis(name: "x", factor: 3, range: 0.1...1e4)]
        let config: Config
        var numItems = 12
        init(config: Config) { self.config = config }
        func fit(_ data: TrainingData) throws {}

        func scoreBatch(users: [Int32], histories: [[Int32]], into scores: UnsafeMutableBufferPointer<Float>) {
            let distractors = min(5, Int(abs(log(config.x / 10) / log(3)).rounded()))
            for (row, history) in histories.enumerated() {
                let last = history.last!
                let base = last < 6 ? Int32(0) : 6
                let other = 6 - base
                for item in 0..<12 { scores[row * 12 + item] = 0 }
                scores[row * 12 + Int(base + (last - base + 1) % 6)] = 1
                for d in 0..<distractors { scores[row * 12 + Int(other) + d] = 2 }
            }
        }
    }

    /// Grid {100, 300}: k = 2 and 3, so 100 wins at the low edge. Extending downwards: 33.3 (k = 1)
    /// wins, 11.1 (k = 0) wins, 3.7 (k = 1) loses and ends the extension; 11.1 is chosen.
    func testAGridChosenAtItsEdgeIsExtendedUntilTheBestIsInside() throws {
        let report = try ModelSelection().run(candidates: PeakedModel.candidates(), split: communitySplit(users: 12), dataset: "toy")
        XCTAssertEqual(report.grid.map { $0.config["x"] }, ["100.0", "300.0", "33.3", "11.1", "3.7"])
        XCTAssertEqual(report.grid.map(\.note), [nil, nil, "grid extended: x below 100", "grid extended: x below 33.3",
                                                  "grid extended: x below 11.1"])
        XCTAssertEqual(report.config["x"], "11.1")
        XCTAssertEqual(report.validationMetrics["NDCG@10"], 1)
        XCTAssertEqual(report.grid[0].validationMetrics["NDCG@10"]!, 1 / log2(4), accuracy: 1e-12)
        XCTAssertEqual(report.counts["gridPoints"], 5)

        // A pinned value leaves one point: nothing to extend.
        let pinned = try ModelSelection().run(candidates: PeakedModel.candidates(grid: [.init(x: 100)]),
                                              split: communitySplit(users: 12), dataset: "toy")
        XCTAssertEqual(pinned.grid.count, 1)
    }

    /// The extension stops at the axis's range even while the edge keeps winning.
    func testExtensionStaysInsideTheAxisRange() {
        let axis = SearchAxis(name: "neighbors", factor: 2, range: 2...300, isInteger: true)
        XCTAssertEqual(axis.step(from: 200, upwards: true), nil)
        XCTAssertEqual(axis.step(from: 20, upwards: false), "10")
        XCTAssertEqual(axis.step(from: 3, upwards: false), "2")
        XCTAssertEqual(axis.step(from: 2, upwards: false), nil)
        XCTAssertEqual(SearchAxis(name: "l2", factor: 3, range: 1...1e7).step(from: 100, upwards: false), "33.3")
    }
}
