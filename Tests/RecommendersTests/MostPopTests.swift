import Recommenders
import XCTest

final class MostPopTests: XCTestCase {
    func testScoresAreDistinctUserCounts() throws {
        // Item 1 twice for user 0 counts once; item 3 is never seen.
        let data = TrainingData(numUsers: 3, numItems: 4, sequences: [[0, 1, 1], [1, 2], [1]])
        let model = MostPop()
        try model.fit(data)
        XCTAssertEqual(model.popularity, [1, 3, 1, 0])
        XCTAssertEqual(Fixtures.scores(of: model, histories: [[], [3, 0]]), [[1, 3, 1, 0], [1, 3, 1, 0]])
    }

    func testKnownAnswerRanksMostPopularUnseenItemFirst() throws {
        // Popularity 4, 3, 2, 1 for items 0...3; each user lacks exactly the most popular unseen item.
        let data = TrainingData(numUsers: 5, numItems: 4, sequences: [[1, 2, 3], [0, 2], [0, 1], [0, 1], [0]])
        let model = MostPop()
        try model.fit(data)
        let expectedFirst: [Int32] = [0, 1, 2, 2, 1]
        for (u, history) in data.sequences.enumerated() {
            XCTAssertEqual(model.recommend(user: Int32(u), history: history, k: 1).first?.item, expectedFirst[u], "user \(u)")
        }
    }

    func testCandidates() {
        let candidates = MostPop.candidates()
        XCTAssertEqual(candidates.count, 1)
        XCTAssertEqual(candidates[0].model, "mostpop")
        XCTAssertEqual(candidates[0].config, [:])
        XCTAssertEqual(candidates[0].make().name, "mostpop")
    }
}
