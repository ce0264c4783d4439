import LinearAlgebra
import Recommenders
import XCTest

final class ItemKNNTests: XCTestCase {
    // Users of items 0, 1, 2: {0, 1}, {0, 1, 2}, {1, 2}; co-occurrences (0,1) = 2, (0,2) = 1, (1,2) = 2.

    func testCooccurrenceByHand() {
        XCTAssertEqual(Fixtures.threeByThree.cooccurrence().values, [2, 2, 1, 2, 3, 2, 1, 2, 2])
        XCTAssertEqual(Fixtures.threeByThree.itemPopularity(), [2, 3, 2])
    }

    func testCooccurrenceEqualsTheDenseGramOfTheIndicatorMatrix() {
        // The pair counts are exact integers, so they equal XᵀX by BLAS bit for bit.
        let data = Fixtures.randomData(users: 70, items: 31, density: 0.15, seed: 3)
        var indicators = Matrix(rows: data.numUsers, cols: data.numItems)
        for user in 0..<data.numUsers { for item in data.items(ofUser: user) { indicators[user, Int(item)] = 1 } }
        XCTAssertEqual(data.cooccurrence(), Matrix.gram(indicators))
    }

    func testCosineWithoutShrinkage() throws {
        let model = ItemKNN(config: .init(neighbors: 2, shrink: 0))
        try model.fit(Fixtures.threeByThree)
        XCTAssertEqual(model.similarity(0, 1), 2 / Float(6).squareRoot(), accuracy: 1e-6)
        XCTAssertEqual(model.similarity(1, 0), 2 / Float(6).squareRoot(), accuracy: 1e-6)
        XCTAssertEqual(model.similarity(0, 2), 0.5, accuracy: 1e-6)
        XCTAssertEqual(model.similarity(1, 2), 2 / Float(6).squareRoot(), accuracy: 1e-6)
        XCTAssertEqual(model.similarity(0, 0), 0, "an item is not its own neighbour")
        // History {0, 2}: item 1 gets sim(0,1) + sim(2,1); items 0 and 2 get each other's similarity.
        let scores = Fixtures.scores(of: model, histories: [[0, 2, 0]])[0]
        XCTAssertEqual(scores[1], 4 / Float(6).squareRoot(), accuracy: 1e-6)
        XCTAssertEqual(scores[0], 0.5, accuracy: 1e-6)
        XCTAssertEqual(scores[2], 0.5, accuracy: 1e-6)
    }

    func testShrinkage() throws {
        let model = ItemKNN(config: .init(neighbors: 2, shrink: 1))
        try model.fit(Fixtures.threeByThree)
        XCTAssertEqual(model.similarity(0, 1), 2 / (Float(6).squareRoot() + 1), accuracy: 1e-6)
        XCTAssertEqual(model.similarity(0, 2), 1.0 / 3, accuracy: 1e-6)
    }

    func testPruningKeepsEachCandidatesNearestNeighbour() throws {
        // N(0) = {1}; N(1) = {0} (tie with 2 at 2/√6, lower index wins); N(2) = {1}.
        let model = ItemKNN(config: .init(neighbors: 1, shrink: 0))
        try model.fit(Fixtures.threeByThree)
        XCTAssertEqual(model.similarity(0, 2), 0)
        XCTAssertEqual(model.similarity(1, 2), 0)
        XCTAssertEqual(model.similarity(1, 0), 2 / Float(6).squareRoot(), accuracy: 1e-6)
        // History {0}: only item 1 lists 0 as a neighbour.
        let scores = Fixtures.scores(of: model, histories: [[0]])[0]
        XCTAssertEqual(scores[0], 0)
        XCTAssertEqual(scores[1], 2 / Float(6).squareRoot(), accuracy: 1e-6)
        XCTAssertEqual(scores[2], 0)
    }

    func testCatalogueLimit() {
        let data = TrainingData(numUsers: 1, numItems: TrainingData.denseItemLimit + 1, sequences: [[0]])
        XCTAssertThrowsError(try ItemKNN().fit(data)) { error in
            XCTAssertEqual(error as? RecommenderError,
                           .catalogueTooLarge(model: "itemknn", items: TrainingData.denseItemLimit + 1, limit: TrainingData.denseItemLimit))
        }
    }

    func testCandidatesDescribeEveryGridPoint() {
        let candidates = ItemKNN.candidates()
        XCTAssertEqual(candidates.count, ItemKNN.defaultGrid.count)
        XCTAssertEqual(Set(candidates.map(\.config)).count, candidates.count, "grid points are distinct")
        XCTAssertEqual(candidates[0].config, ["neighbors": "20", "shrink": "0.0"])
    }
}
