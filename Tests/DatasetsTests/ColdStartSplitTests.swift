import Datasets
import XCTest

final class ColdStartSplitTests: XCTestCase {
    private let split = Split(
        protocolName: "leave-one-out", numUsers: 3, numItems: 6,
        train: [[0, 1], [2, 5], [5]],
        validation: [EvaluationCase(user: 0, history: [0, 1], targets: [2]),
                     EvaluationCase(user: 1, history: [2, 5], targets: [5])],
        trainAndValidation: [[0, 1, 2], [2, 5, 5], [5]],
        test: [EvaluationCase(user: 0, history: [0, 1, 2], targets: [5]),
               EvaluationCase(user: 1, history: [2, 5, 5], targets: [3]),
               EvaluationCase(user: 2, history: [5], targets: [4])])

    func testColdItemsDisappearFromTrainingAndHistoriesAndOnlyColdTargetsAreTested() {
        let cold = split.coldStart(coldItems: [5, 4])
        XCTAssertEqual(cold.protocolName, "leave-one-out+cold-start")
        XCTAssertEqual(cold.train, [[0, 1], [2], []])
        XCTAssertEqual(cold.trainAndValidation, [[0, 1, 2], [2], []])
        // User 1's validation target is cold: dropped. User 0's is warm: kept.
        XCTAssertEqual(cold.validation, [EvaluationCase(user: 0, history: [0, 1], targets: [2])])
        // User 0 (cold target 5) stays with a warm history; user 1's target 3 is warm; user 2's
        // history becomes empty.
        XCTAssertEqual(cold.test, [EvaluationCase(user: 0, history: [0, 1, 2], targets: [5])])
    }

    func testColdSampleIsSeededSizedAndInRange() {
        let a = Split.sampleColdItems(numItems: 100, fraction: 0.2, seed: 7)
        XCTAssertEqual(a, Split.sampleColdItems(numItems: 100, fraction: 0.2, seed: 7))
        XCTAssertNotEqual(a, Split.sampleColdItems(numItems: 100, fraction: 0.2, seed: 8))
        XCTAssertEqual(a.count, 20)
        XCTAssertTrue(a.allSatisfy { (0..<100).contains($0) })
        XCTAssertEqual(Split.sampleColdItems(numItems: 3, fraction: 0.01, seed: 1).count, 1)
    }
}
