import Evaluation
import SeededRandom
import XCTest

final class TargetRankingTests: XCTestCase {
    func testTiesArePessimistic() {
        // Target 2 (0.5) ties with items 1 and 3; item 0 is above: rank 1 + 3 = 4.
        let ranks = TargetRanking.pessimisticRanks(scores: [0.9, 0.5, 0.5, 0.5, 0.1], history: [], targets: [2])
        XCTAssertEqual(ranks, [4])
    }

    func testConstantScoresRankTheTargetLast() {
        let scores = [Float](repeating: 3, count: 10)
        // 10 items, 3 in history: 7 candidates, so the target is 7th of 7.
        XCTAssertEqual(TargetRanking.pessimisticRanks(scores: scores, history: [0, 4, 9], targets: [5]), [7])
    }

    func testHistoryItemsAreExcluded() {
        // Items 0 and 1 outscore the target but are history: rank 1.
        let ranks = TargetRanking.pessimisticRanks(scores: [0.9, 0.8, 0.1, 0.5, 0.2], history: [0, 1], targets: [3])
        XCTAssertEqual(ranks, [1])
    }

    func testTargetsDoNotCountAgainstEachOther() {
        // Targets 1 (0.8) and 3 (0.6); candidates 0 (0.9), 2 (0.7), 4 (0.1).
        // Target 1: above it item 0 -> rank 2. Target 3: above it items 0 and 2 -> rank 3.
        let scores: [Float] = [0.9, 0.8, 0.7, 0.6, 0.1]
        let ranks = TargetRanking.pessimisticRanks(scores: scores, history: [], targets: [3, 1])
        XCTAssertEqual(ranks, [2, 3])
        // In the full list the targets sit at positions 2 and 4.
        XCTAssertEqual(TargetRanking.listPositions(fromRanks: ranks), [2, 4])
    }

    func testTiedTargetsAreListedAfterTiedCandidates() {
        // Two targets and one candidate all at 0.5: each target has rank 2, list positions 2 and 3.
        let ranks = TargetRanking.pessimisticRanks(scores: [0.5, 0.5, 0.5], history: [], targets: [0, 2])
        XCTAssertEqual(ranks, [2, 2])
        XCTAssertEqual(TargetRanking.listPositions(fromRanks: ranks), [2, 3])
    }

    func testNaNScoresCountAsTheWorst() {
        // A NaN target ranks behind every candidate, even one at -infinity.
        XCTAssertEqual(TargetRanking.pessimisticRanks(scores: [.nan, -.infinity, 0, 1], history: [], targets: [0]), [4])
        // NaN candidates never beat a finite target.
        XCTAssertEqual(TargetRanking.pessimisticRanks(scores: [.nan, .nan, 0, .nan], history: [], targets: [2]), [1])
    }

    func testDuplicateTargetsCountOnce() {
        XCTAssertEqual(TargetRanking.pessimisticRanks(scores: [0.1, 0.9, 0.5], history: [], targets: [2, 2]), [2])
    }

    func testTargetInHistoryIsStillRankedAgainstCandidates() {
        // Item 1 is both history and target: ranked against candidates 0 and 2.
        XCTAssertEqual(TargetRanking.pessimisticRanks(scores: [0.9, 0.5, 0.1], history: [1], targets: [1]), [2])
    }

    /// Property: agrees with counting by definition, over random scores with many ties, NaNs and
    /// -infinity, one to four targets, catalogues short and long enough for the eight-lane loop.
    func testMatchesDefinitionOnRandomQueries() {
        var random = SplitMix64(seed: 7)
        for _ in 0..<300 {
            let numItems = Int.random(in: 1...40, using: &random)
            let scores = (0..<numItems).map { _ -> Float in
                switch Int.random(in: 0..<12, using: &random) {
                case 0: return .nan
                case 1: return -.infinity
                default: return Float(Int.random(in: 0..<5, using: &random))
                }
            }
            let history = (0..<Int.random(in: 0...numItems, using: &random)).map { _ in
                Int32.random(in: 0..<Int32(numItems), using: &random)
            }
            let targets = (0..<Int.random(in: 1...4, using: &random)).map { _ in
                Int32.random(in: 0..<Int32(numItems), using: &random)
            }
            let ranks = TargetRanking.pessimisticRanks(scores: scores, history: history, targets: targets)
            XCTAssertEqual(ranks, Self.ranksByDefinition(scores: scores, history: history, targets: targets))
        }
    }

    /// 1 + number of candidates (not history, not a target) scoring >= the target; NaN as -infinity.
    static func ranksByDefinition(scores: [Float], history: [Int32], targets: [Int32]) -> [Int] {
        let value = { (item: Int) -> Float in scores[item].isNaN ? -.infinity : scores[item] }
        let excluded = Set(history).union(targets)
        return Set(targets).map { target in
            1 + scores.indices.filter { !excluded.contains(Int32($0)) && value($0) >= value(Int(target)) }.count
        }.sorted()
    }
}
