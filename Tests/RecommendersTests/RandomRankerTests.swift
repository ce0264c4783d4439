import Recommenders
import XCTest

final class RandomRankerTests: XCTestCase {
    func testScoresAreUniformPerUserAndIndependentOfTheBatch() throws {
        let model = RandomRanker()
        try model.fit(TrainingData(numUsers: 3, numItems: 500, sequences: [[0], [1], [2]]))
        var together = [Float](repeating: 0, count: 2 * 500)
        together.withUnsafeMutableBufferPointer { model.scoreBatch(users: [1, 2], histories: [[], []], into: $0) }
        var alone = [Float](repeating: 0, count: 500)
        alone.withUnsafeMutableBufferPointer { model.scoreBatch(users: [2], histories: [[]], into: $0) }
        XCTAssertEqual(Array(together[500...]), alone, "user 2's scores do not depend on the batch")
        XCTAssertNotEqual(Array(together[..<500]), alone, "users get different streams")
        XCTAssertTrue(alone.allSatisfy { $0 >= 0 && $0 < 1 })
        let mean = alone.reduce(0, +) / 500
        XCTAssertEqual(mean, 0.5, accuracy: 0.05, "uniform on [0, 1): mean 0.5 ± 3σ (σ = 0.013)")
    }
}
