import Dispatch
import Recommenders
import XCTest

/// The known-answer test every personalised recommender passes, after `implicit`'s checkerboard:
/// two disjoint communities of 6 items and 12 users each; every user has all items of its
/// community but one (each item is withheld from two users), and that item must be ranked first.
/// A fit, thread-safety and determinism check run on the same data.
///
/// MostPop has its own case (in `MostPopTests`): it ignores the history, so no data set in which
/// two users need different first items can be right for it.
final class KnownAnswerTests: XCTestCase {
    static let itemsPerCommunity = 6
    static let usersPerCommunity = 12

    /// (training data, withheld item per user).
    static func communities() -> (TrainingData, [Int32]) {
        var sequences: [[Int32]] = []
        var withheld: [Int32] = []
        for community in 0..<2 {
            let items = (0..<itemsPerCommunity).map { Int32(community * itemsPerCommunity + $0) }
            for u in 0..<usersPerCommunity {
                let missing = items[u % itemsPerCommunity]
                sequences.append(items.filter { $0 != missing }.reversed())
                withheld.append(missing)
            }
        }
        let data = TrainingData(numUsers: sequences.count, numItems: 2 * itemsPerCommunity, sequences: sequences)
        return (data, withheld)
    }

    func assertRanksWithheldItemFirst(_ make: () -> any Recommender, file: StaticString = #filePath, line: UInt = #line) throws {
        let (data, withheld) = Self.communities()
        let model = make()
        try model.fit(data)
        XCTAssertEqual(model.numItems, data.numItems, file: file, line: line)
        let scores = Fixtures.scores(of: model, histories: data.sequences)
        for (u, history) in data.sequences.enumerated() {
            let target = Int(withheld[u])
            XCTAssertEqual(model.recommend(user: Int32(u), history: history, k: 1).first?.item, withheld[u],
                           "\(model.name): user \(u)", file: file, line: line)
            // Strictly above every other unseen item (pessimistic ties would count a tie against it).
            for item in 0..<data.numItems where item != target && !history.contains(Int32(item)) {
                XCTAssertGreaterThan(scores[u][target], scores[u][item], "\(model.name): user \(u) item \(item)",
                                     file: file, line: line)
            }
        }

        // Concurrent scoring of single histories equals the batch (scoreBatch is thread-safe after fit).
        var concurrent = [[Float]](repeating: [], count: data.numUsers)
        let lock = DispatchQueue(label: "known-answer.results")
        DispatchQueue.concurrentPerform(iterations: data.numUsers) { u in
            let row = Fixtures.scores(of: model, histories: [data.sequences[u]])[0]
            lock.sync { concurrent[u] = row }
        }
        XCTAssertEqual(concurrent, scores, "\(model.name): concurrent scoring", file: file, line: line)

        // Refitting an identical configuration gives identical scores.
        let again = make()
        try again.fit(data)
        XCTAssertEqual(Fixtures.scores(of: again, histories: data.sequences), scores, "\(model.name): determinism",
                       file: file, line: line)
    }

    func testItemKNN() throws {
        try assertRanksWithheldItemFirst { ItemKNN(config: .init(neighbors: 20, shrink: 1)) }
    }

    func testEASE() throws {
        try assertRanksWithheldItemFirst { EASE(config: .init(l2: 1)) }
    }

    func testIALS() throws {
        try assertRanksWithheldItemFirst { IALS(config: .init(factors: 8, alpha: 10, regularization: 1, iterations: 10, seed: 3)) }
    }

    func testEveryDefaultGridPointOfEveryPersonalisedModel() throws {
        let candidates = ItemKNN.candidates() + EASE.candidates()
            + IALS.candidates(grid: IALS.defaultGrid.map { var config = $0; config.iterations = 3; return config })
        for candidate in candidates { try assertRanksWithheldItemFirst(candidate.make) }
    }
}
