import Datasets
import Evaluation
import Recommenders
import XCTest

/// The one evaluation path: the grid is searched on validation only, the winner is refit on
/// train + validation, and what a fit did (epochs) reaches the report.
final class ModelSelectionTests: XCTestCase {
    func testTheBestValidationPointIsChosenAndEveryPointIsReported() throws {
        let candidates = try ModelRegistry.candidates(for: "ease", overrides: [:])
        let report = try ModelSelection().run(candidates: candidates, split: communitySplit(users: 24), dataset: "toy")
        XCTAssertEqual(report.grid.count, candidates.count)
        let best = report.grid.map { $0.validationMetrics["NDCG@10"]! }.max()!
        XCTAssertEqual(report.validationMetrics["NDCG@10"], best)
        XCTAssertEqual(report.grid.first { $0.config == report.config }?.validationMetrics["NDCG@10"], best)
        XCTAssertEqual(report.counts["testCases"], 24)
        XCTAssertEqual(report.counts["trainInteractions"], 24 * 5)
        XCTAssertNil(report.counts["epochsRun"], "a closed-form model has no epochs")
        // Leave-one-out: every test case falls in one target-popularity bucket, whose means are
        // those of its users' per-user values.
        let popularity = try XCTUnwrap(report.testTargetPopularity)
        XCTAssertEqual(popularity.reduce(0) { $0 + $1.userCount }, 24)
        let perUser = try XCTUnwrap(report.perUserTest.values["NDCG@10"])
        XCTAssertEqual(popularity.reduce(0) { $0 + $1.metrics["NDCG@10"]! * Double($1.userCount) },
                       perUser.reduce(0, +), accuracy: 1e-9)
    }

    func testOverridesPinHyperparametersAndBadOnesAreNamed() throws {
        XCTAssertEqual(try ModelRegistry.candidates(for: "ease", overrides: ["l2": "300"]).map(\.config),
                       [["l2": "300.0"]])
        XCTAssertThrowsError(try ModelRegistry.candidates(for: "ease", overrides: ["lambda": "3"])) { error in
            XCTAssertEqual(String(describing: error), "ease has no hyperparameter 'lambda'; it has: l2")
        }
        XCTAssertThrowsError(try ModelRegistry.candidates(for: "itemknn", overrides: ["neighbors": "many"]))
        XCTAssertThrowsError(try ModelRegistry.candidates(for: "nope")) { error in
            XCTAssertTrue(String(describing: error).hasPrefix("unknown model 'nope'"))
        }
    }

    func testATrainedModelsEpochsReachTheReport() throws {
        let candidates = try ModelRegistry.candidates(
            for: "sasrec", overrides: ["dim": "8", "maxLength": "8", "maxEpochs": "3", "patience": "3", "batchSize": "8"])
        let report = try ModelSelection().run(candidates: candidates, split: communitySplit(users: 24), dataset: "toy")
        XCTAssertEqual(report.counts["epochsRun"], 3)
        XCTAssertNotNil(report.counts["bestEpoch"])
        XCTAssertNotNil(report.timings["secondsPerEpoch"])
    }

    func testASingleEarlyStoppingConfigurationIsFitOnceOnLeaveOneOutAndTwiceOtherwise() throws {
        let sasrec = try ModelRegistry.candidates(
            for: "sasrec", overrides: ["dim": "8", "maxLength": "8", "maxEpochs": "2", "patience": "2", "batchSize": "8"])[0]
        var fits = 0
        let counted = ModelCandidate(model: sasrec.model, config: sasrec.config) {
            fits += 1
            return sasrec.make()
        }
        let split = communitySplit(users: 24)
        XCTAssertTrue(split.validationTargetsEndTrainAndValidation)
        let report = try ModelSelection().run(candidates: [counted], split: split, dataset: "toy")
        // One `make`: the model asked is the one fit on train + validation.
        XCTAssertEqual(fits, 1)
        XCTAssertEqual(report.grid.count, 1)
        XCTAssertEqual(report.grid[0].validationMetrics, report.validationMetrics)
        XCTAssertEqual(report.timings["gridFit"], 0)

        // A validation case that is not the end of its user's train + validation: the usual two fits
        // (the model is not even asked).
        var shifted = split
        shifted.validation[0].history.removeFirst()
        XCTAssertFalse(shifted.validationTargetsEndTrainAndValidation)
        fits = 0
        _ = try ModelSelection().run(candidates: [counted], split: shifted, dataset: "toy")
        XCTAssertEqual(fits, 2)

        // A model that trains on everything it is given is always validated by a separate fit
        // (asked, then fit twice).
        let ease = try ModelRegistry.candidates(for: "ease", overrides: ["l2": "10"])[0]
        fits = 0
        let countedEASE = ModelCandidate(model: ease.model, config: ease.config) {
            fits += 1
            return ease.make()
        }
        _ = try ModelSelection().run(candidates: [countedEASE], split: split, dataset: "toy")
        XCTAssertEqual(fits, 3)
    }

    /// `observed(by:)` hands over every instance the candidate makes, rebuilt variants included,
    /// and keeps what the search needs (settings, axes, rebuilding).
    func testAnObservedCandidateReportsEveryInstanceItMakes() throws {
        let ease = try ModelRegistry.candidates(for: "ease", overrides: ["l2": "10"])[0]
        var seen: [String] = []
        let observed = ease.observed { seen.append(($0 as! EASE).configDescription["l2"]!) }
        XCTAssertEqual(observed.config, ease.config)
        XCTAssertEqual(observed.searchAxes.map(\.name), ease.searchAxes.map(\.name))
        _ = observed.make()
        let changed = try XCTUnwrap(observed.changing)(["l2": "30"])
        XCTAssertEqual(changed.config, ["l2": "30.0"])
        _ = changed.make()
        XCTAssertEqual(seen, ["10.0", "30.0"])
    }
}
