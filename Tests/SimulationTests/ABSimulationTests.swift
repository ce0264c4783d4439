import Recommenders
import Simulation
import XCTest

/// The simulator on real MovieLens-100K: the A/A calibration, and EASE against MostPop.
final class ABSimulationTests: XCTestCase {
    /// 200 seeded A/A runs (MostPop against itself, every user, fresh assignments and clicks per run)
    /// reject at alpha = 0.05 between 2% and 8% of the time: the tests are honest.
    func testAACalibration() throws {
        let experiment = try MovieLens100K.experiment()
        let histories = experiment.split.trainAndValidation
        let truthModel = EASE(config: .init(l2: 300))
        try truthModel.fit(experiment.allInteractionsTrainingData())
        let truth = GroundTruth(truth: truthModel, allSequences: experiment.dataset.chronologicalSequences(),
                                rankerHistories: histories)
        let ranker = MostPop()
        try ranker.fit(TrainingData(numUsers: histories.count, numItems: experiment.split.numItems, sequences: histories))
        let lists = RankedLists(ranker: ranker, histories: histories, depth: 20)
        let simulator = Simulator(truth: truth, clickModel: ClickModel(), slateSize: 10, sessionsPerUser: 1,
                                  listsA: lists, listsB: lists, seed: 2024)
        let rates = simulator.rejectionRates(usersPerRun: histories.count, replications: 200, alpha: 0.05)
        print("A/A rejection rate over 200 runs: A/B \(rates.abTest), interleaving \(rates.interleaving)")
        XCTAssertGreaterThanOrEqual(rates.abTest, 0.02)
        XCTAssertLessThanOrEqual(rates.abTest, 0.08)
        XCTAssertGreaterThanOrEqual(rates.interleaving, 0.02)
        XCTAssertLessThanOrEqual(rates.interleaving, 0.08)
    }

    /// EASE against MostPop at the default options: detected with power >= 0.9 on every user, in
    /// the direction of the offline evaluation; interleaving needs fewer users than the A/B test.
    func testEASEBeatsMostPop() throws {
        let experiment = try MovieLens100K.experiment()
        let ease = try experiment.evaluate(model: "ease", overrides: ["l2": "300"])
        let mostPop = try experiment.evaluate(model: "mostpop")
        let report = try ABSimulation.run(experiment: experiment, a: ease, b: mostPop)
        print(String(decoding: try report.jsonData(), as: UTF8.self))
        XCTAssertEqual(report.offlineWinner, "a")
        XCTAssertEqual(report.simulatedWinner, "a")
        XCTAssertTrue(report.directionAgrees)
        let atDefaultSize = try XCTUnwrap(report.power.curve.last)
        XCTAssertEqual(atDefaultSize.users, 943)
        XCTAssertGreaterThanOrEqual(atDefaultSize.abSimulated, 0.9)
        XCTAssertGreaterThanOrEqual(atDefaultSize.abAnalytic, 0.9)
        XCTAssertLessThan(try XCTUnwrap(report.power.interleavingUsersNeeded), try XCTUnwrap(report.power.abUsersNeeded))
        // The curves: the smallest simulated size reaching 0.9 is smaller for interleaving.
        let firstAB = try XCTUnwrap(report.power.curve.first { $0.abSimulated >= 0.9 }?.users)
        let firstInterleaving = try XCTUnwrap(report.power.curve.first { $0.interleavingSimulated >= 0.9 }?.users)
        XCTAssertLessThan(firstInterleaving, firstAB)
        XCTAssertEqual(report.feedbackA.count, 5)
        XCTAssertGreaterThan(report.feedbackB[0].exposureGini, report.feedbackA[0].exposureGini)
        XCTAssertLessThan(report.feedbackB[0].coverage, report.feedbackA[0].coverage)
    }
}
