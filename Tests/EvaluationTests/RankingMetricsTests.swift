import Evaluation
import SeededRandom
import XCTest

final class RankingMetricsTests: XCTestCase {
    func testSingleTargetAtRankOne() {
        XCTAssertEqual(RankingMetrics.hitRate(positions: [1], k: 5), 1)
        XCTAssertEqual(RankingMetrics.ndcg(positions: [1], k: 5), 1)
        XCTAssertEqual(RankingMetrics.recall(positions: [1], k: 5), 1)
        XCTAssertEqual(RankingMetrics.reciprocalRank(positions: [1]), 1)
    }

    func testSingleTargetAtRankThree() {
        XCTAssertEqual(RankingMetrics.ndcg(positions: [3], k: 10), 0.5, accuracy: 1e-15)  // 1 / log2(4)
        XCTAssertEqual(RankingMetrics.hitRate(positions: [3], k: 3), 1)
        XCTAssertEqual(RankingMetrics.hitRate(positions: [3], k: 2), 0)
        XCTAssertEqual(RankingMetrics.ndcg(positions: [3], k: 2), 0)
        XCTAssertEqual(RankingMetrics.reciprocalRank(positions: [3]), 1.0 / 3, accuracy: 1e-15)
    }

    func testSingleTargetAtRankElevenMissesTheTopTen() {
        XCTAssertEqual(RankingMetrics.ndcg(positions: [11], k: 10), 0)
        XCTAssertEqual(RankingMetrics.hitRate(positions: [11], k: 10), 0)
        XCTAssertEqual(RankingMetrics.recall(positions: [11], k: 10), 0)
        XCTAssertEqual(RankingMetrics.ndcg(positions: [11], k: 20), 1 / log2(12.0), accuracy: 1e-15)
        XCTAssertEqual(RankingMetrics.reciprocalRank(positions: [11]), 1.0 / 11, accuracy: 1e-15)
    }

    func testRankTwoNDCG() {
        XCTAssertEqual(RankingMetrics.ndcg(positions: [2], k: 10), 0.6309297535714574, accuracy: 1e-15)  // 1 / log2(3)
    }

    func testMultipleTargets() {
        // Targets at positions 1 and 4 of the list, K = 3: one hit.
        // DCG = 1; IDCG over min(3, 2) = 2 slots = 1 + 1/log2(3).
        let positions = [1, 4]
        XCTAssertEqual(RankingMetrics.hitRate(positions: positions, k: 3), 1)
        XCTAssertEqual(RankingMetrics.recall(positions: positions, k: 3), 0.5)
        XCTAssertEqual(RankingMetrics.ndcg(positions: positions, k: 3), 1 / (1 + 1 / log2(3.0)), accuracy: 1e-15)
        XCTAssertEqual(RankingMetrics.reciprocalRank(positions: positions), 1)
        // K = 5 catches both: (1 + 1/log2(5)) / (1 + 1/log2(3)).
        XCTAssertEqual(RankingMetrics.ndcg(positions: positions, k: 5),
                       (1 + 1 / log2(5.0)) / (1 + 1 / log2(3.0)), accuracy: 1e-15)
    }

    func testRecallDividesByTheSmallerOfKAndTargetCount() {
        // Three targets, K = 2, both top slots are targets: perfect recall and NDCG.
        XCTAssertEqual(RankingMetrics.recall(positions: [1, 2, 9], k: 2), 1)
        XCTAssertEqual(RankingMetrics.ndcg(positions: [1, 2, 9], k: 2), 1, accuracy: 1e-15)
        XCTAssertEqual(RankingMetrics.recall(positions: [1, 5, 9], k: 2), 0.5)
    }

    func testValuesFollowTheMetricKeyLayout() {
        let keys = MetricKey.caseMetrics(cutoffs: [1, 5])
        XCTAssertEqual(keys, ["HR@1", "Recall@1", "NDCG@1", "HR@5", "Recall@5", "NDCG@5", "MRR"])
        let values = RankingMetrics.values(positions: [3], cutoffs: [1, 5])
        XCTAssertEqual(values.count, keys.count)
        XCTAssertEqual(Array(values[0..<3]), [0, 0, 0])
        XCTAssertEqual(values[3], 1)
        XCTAssertEqual(values[4], 1)
        XCTAssertEqual(values[5], 0.5, accuracy: 1e-15)
        XCTAssertEqual(values[6], 1.0 / 3, accuracy: 1e-15)
    }

    /// Property: every metric lies in [0, 1], grows with K, and HR equals Recall for one target.
    func testMetricInvariantsOnRandomPositions() {
        var random = SplitMix64(seed: 11)
        for _ in 0..<500 {
            let position = Int.random(in: 1...100, using: &random)
            let extra = (0..<Int.random(in: 0...3, using: &random)).map { _ in Int.random(in: 1...100, using: &random) }
            let positions = Array(Set([position] + extra)).sorted()
            var previous = [0.0, 0.0, 0.0]
            for k in [1, 5, 10, 20, 50, 100] {
                let current = [RankingMetrics.hitRate(positions: positions, k: k),
                               RankingMetrics.recall(positions: positions, k: k),
                               RankingMetrics.ndcg(positions: positions, k: k)]
                for (now, before) in zip(current, previous) {
                    XCTAssert(now >= 0 && now <= 1 + 1e-12)
                    if positions.count == 1 { XCTAssert(now >= before) }
                }
                if positions.count == 1 {
                    XCTAssertEqual(current[0], current[1])
                    XCTAssertEqual(current[2] > 0, current[0] == 1)
                }
                previous = current
            }
        }
    }
}
