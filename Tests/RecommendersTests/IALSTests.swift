import Recommenders
import XCTest

final class IALSTests: XCTestCase {
    static let data = Fixtures.randomData(users: 40, items: 30, density: 0.15, seed: 21)
    static let config = IALS.Config(factors: 8, alpha: 5, regularization: 0.5, iterations: 8, initStd: 0.1, seed: 7)

    func testLossDecreasesEveryIteration() throws {
        let model = IALS(config: Self.config)
        try model.fit(Self.data)
        XCTAssertEqual(model.lossHistory.count, Self.config.iterations)
        for (before, after) in zip(model.lossHistory, model.lossHistory.dropFirst()) {
            XCTAssertLessThanOrEqual(after, before * (1 + 1e-5))
        }
        XCTAssertLessThan(model.lossHistory.last!, model.lossHistory.first! * 0.99, "the objective actually moves")
    }

    func testFoldInOfATrainingUserReproducesItsFittedVector() throws {
        let model = IALS(config: Self.config)
        try model.fit(Self.data)
        for u in 0..<Self.data.numUsers {
            let folded = try model.foldIn(history: Self.data.sequences[u])
            for f in 0..<Self.config.factors {
                XCTAssertEqual(folded[f], model.userFactors[u, f], accuracy: 1e-4, "user \(u) factor \(f)")
            }
        }
        // Scores are fold-in vectors times the item factors.
        let history: [Int32] = [3, 1, 4]
        let folded = try model.foldIn(history: history)
        let scores = Fixtures.scores(of: model, histories: [history])[0]
        for item in 0..<Self.data.numItems {
            let expected = zip(folded, model.itemFactors.row(item)).reduce(Float(0)) { $0 + $1.0 * $1.1 }
            XCTAssertEqual(scores[item], expected, accuracy: 1e-5)
        }
    }

    func testSeedDeterminesTheFit() throws {
        let first = IALS(config: Self.config)
        let second = IALS(config: Self.config)
        try first.fit(Self.data)
        try second.fit(Self.data)
        XCTAssertEqual(first.itemFactors, second.itemFactors)
        XCTAssertEqual(Fixtures.scores(of: first, histories: Self.data.sequences),
                       Fixtures.scores(of: second, histories: Self.data.sequences))
        var reseeded = Self.config
        reseeded.seed = 8
        let third = IALS(config: reseeded)
        try third.fit(Self.data)
        XCTAssertNotEqual(first.itemFactors, third.itemFactors)
    }

    func testEmptyHistoryScoresZero() throws {
        let model = IALS(config: Self.config)
        try model.fit(Self.data)
        XCTAssertEqual(Fixtures.scores(of: model, histories: [[]])[0], [Float](repeating: 0, count: Self.data.numItems))
    }

    func testCandidates() {
        let candidates = IALS.candidates()
        XCTAssertEqual(candidates.count, IALS.defaultGrid.count)
        XCTAssertEqual(Set(candidates.map(\.config)).count, candidates.count)
        XCTAssertEqual(Set(candidates[0].config.keys), ["factors", "alpha", "regularization", "iterations", "initStd", "seed"])
    }
}
