import Datasets
import Evaluation
import SeededRandom
import XCTest

final class EvaluatorTests: XCTestCase {
    /// Three users over six items, worked out by hand:
    /// - user 0: history [0], target 2; item 1 outscores it: rank 2; top-2 list [1, 2].
    /// - user 1: history [3], target 0; all candidates tie at 0.1: rank 5 (last); top-2 list [0, 1].
    /// - user 2: no history, targets 4 and 5 on top: list positions 1 and 2; top-2 list [4, 5].
    let tinyScorer = TableScorer(numItems: 6, rows: [
        0: [0.9, 0.8, 0.7, 0.6, 0.5, 0.4],
        1: [0.1, 0.1, 0.1, 0.9, 0.1, 0.1],
        2: [0, 0, 0, 0, 1, 0.5],
    ])
    let tinyCases = [
        EvaluationCase(user: 0, history: [0], targets: [2]),
        EvaluationCase(user: 1, history: [3], targets: [0]),
        EvaluationCase(user: 2, history: [], targets: [4, 5]),
    ]

    func testTinyExampleByHand() throws {
        let evaluator = Evaluator(options: EvaluationOptions(cutoffs: [1, 2], batchSize: 2, threadCount: 2,
                                                             historyBuckets: HistoryBuckets(lowerBounds: [0, 1])))
        let result = try evaluator.evaluate(tinyScorer, on: tinyCases)
        XCTAssertEqual(result.userCount, 3)
        XCTAssertEqual(result.users, [0, 1, 2])
        XCTAssertEqual(result.perCaseMetrics["HR@1"], [0, 0, 1])
        XCTAssertEqual(result.perCaseMetrics["HR@2"], [1, 0, 1])
        XCTAssertEqual(result.perCaseMetrics["Recall@2"], [1, 0, 1])
        XCTAssertEqual(result.perCaseMetrics["MRR"], [0.5, 0.2, 1])
        let ndcg2 = try XCTUnwrap(result.perCaseMetrics["NDCG@2"])
        XCTAssertEqual(ndcg2[0], 1 / log2(3.0), accuracy: 1e-12)
        XCTAssertEqual(ndcg2[1], 0)
        XCTAssertEqual(ndcg2[2], 1, accuracy: 1e-12)
        XCTAssertEqual(result.metrics["HR@2"]!, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(result.metrics["MRR"]!, 1.7 / 3, accuracy: 1e-12)
        XCTAssertEqual(result.metrics["NDCG@2"]!, (1 / log2(3.0) + 1) / 3, accuracy: 1e-12)
        // Top-1 lists {1}, {0}, {4}: 3 of 6 items. Top-2 lists add 2 and 5: 5 of 6 (item 3 never shows).
        XCTAssertEqual(result.coverage, ["Coverage@1": 0.5, "Coverage@2": 5.0 / 6])
        // Buckets: user 2 has no history ("0-0"), users 0 and 1 have one item ("1+").
        XCTAssertEqual(result.buckets.map(\.label), ["0-0", "1+"])
        XCTAssertEqual(result.buckets.map(\.userCount), [1, 2])
        XCTAssertEqual(result.buckets[1].metrics["HR@2"], 0.5)
        XCTAssertEqual(result.buckets[1].metrics["MRR"]!, 0.35, accuracy: 1e-12)
        XCTAssertEqual(result.buckets[1].maxHistoryLength, nil)
        XCTAssertEqual(result.buckets[0].maxHistoryLength, 0)
    }

    /// The tiny example's users 0 and 1 grouped by their target's interactions in the fit data:
    /// item 2 (user 0's target) occurs 3 times, item 0 (user 1's) once; bounds 0, 2, 5.
    func testTargetPopularityBucketsByHand() throws {
        let evaluator = Evaluator(options: EvaluationOptions(cutoffs: [1, 2]))
        let singleTargetCases = Array(tinyCases.prefix(2))
        let result = try evaluator.evaluate(tinyScorer, on: singleTargetCases)
        let fitData: [[Int32]] = [[2, 0, 1], [2, 3], [2], [5]]
        let buckets = try XCTUnwrap(result.targetPopularityBuckets(cases: singleTargetCases, fitData: fitData, numItems: 6,
                                                                   bounds: HistoryBuckets(lowerBounds: [0, 2, 5])))
        XCTAssertEqual(buckets.map(\.label), ["0-1", "2-4"])
        XCTAssertEqual(buckets.map(\.minInteractions), [0, 2])
        XCTAssertEqual(buckets.map(\.maxInteractions), [1, 4])
        XCTAssertEqual(buckets.map(\.userCount), [1, 1])
        XCTAssertEqual(buckets[0].metrics["MRR"]!, 0.2, accuracy: 1e-12, "user 1: rank 5")
        XCTAssertEqual(buckets[1].metrics["MRR"]!, 0.5, accuracy: 1e-12, "user 0: rank 2")
        XCTAssertEqual(buckets[1].metrics["HR@2"], 1)
        // The standard bounds put both in 0-4; a case with two targets has no one popularity.
        XCTAssertEqual(result.targetPopularityBuckets(cases: singleTargetCases, fitData: fitData, numItems: 6)?.map(\.label), ["0-4"])
        let all = try evaluator.evaluate(tinyScorer, on: tinyCases)
        XCTAssertNil(all.targetPopularityBuckets(cases: tinyCases, fitData: fitData, numItems: 6))
    }

    func testConstantScorerGetsTheWorstRank() throws {
        let cases = (0..<5).map { EvaluationCase(user: Int32($0), history: [Int32($0)], targets: [Int32($0 + 10)]) }
        let result = try Evaluator(options: EvaluationOptions(cutoffs: [10, 50]))
            .evaluate(ConstantScorer(numItems: 100), on: cases)
        // 99 candidates each: every target is 99th.
        XCTAssertEqual(result.metrics["HR@10"], 0)
        XCTAssertEqual(result.metrics["NDCG@50"], 0)
        XCTAssertEqual(result.metrics["MRR"]!, 1.0 / 99, accuracy: 1e-12)
    }

    func testStandardBucketsAndDefaultCutoffs() throws {
        let scorer = HashedScorer(numItems: 300, salt: 1)
        let lengths = [0, 5, 9, 10, 19, 20, 49, 50, 99, 100, 199, 200, 250]
        let cases = lengths.enumerated().map { user, length in
            EvaluationCase(user: Int32(user), history: (0..<length).map { Int32($0) }, targets: [299])
        }
        let result = try Evaluator().evaluate(scorer, on: cases)
        XCTAssertEqual(result.buckets.map(\.label), ["0-9", "10-19", "20-49", "50-99", "100-199", "200+"])
        XCTAssertEqual(result.buckets.map(\.userCount), [3, 2, 2, 2, 2, 2])
        XCTAssertEqual(Set(result.metrics.keys), Set(MetricKey.caseMetrics(cutoffs: [5, 10, 20, 50])))
        XCTAssertEqual(Set(result.coverage.keys), ["Coverage@5", "Coverage@10", "Coverage@20", "Coverage@50"])
    }

    /// Property: batch size and thread count change nothing but the time taken, and every per-case
    /// metric matches the ranking by definition.
    func testResultsDoNotDependOnBatchSizeOrThreads() throws {
        let numItems = 60
        let scorer = HashedScorer(numItems: numItems, salt: 42)
        var random = SplitMix64(seed: 3)
        let cases = (0..<53).map { user -> EvaluationCase in
            let history = (0..<Int.random(in: 0...20, using: &random)).map { _ in Int32.random(in: 0..<60, using: &random) }
            let targets = (0..<Int.random(in: 1...3, using: &random)).map { _ in Int32.random(in: 0..<60, using: &random) }
            return EvaluationCase(user: Int32(user), history: history, targets: targets)
        }
        var results: [EvaluationResult] = []
        for (batchSize, threads) in [(1, 1), (7, 2), (16, 3), (64, 4), (256, 1)] {
            var result = try Evaluator(options: EvaluationOptions(batchSize: batchSize, threadCount: threads))
                .evaluate(scorer, on: cases)
            result.seconds = 0
            results.append(result)
        }
        for result in results.dropFirst() { XCTAssertEqual(result, results[0]) }

        let reference = cases.map { evaluationCase -> Double in
            let scores = (0..<numItems).map { scorer.score(user: evaluationCase.user, item: $0) }
            let ranks = TargetRankingTests.ranksByDefinition(scores: scores, history: evaluationCase.history,
                                                             targets: evaluationCase.targets)
            return 1 / Double(ranks[0])
        }
        XCTAssertEqual(results[0].perCaseMetrics["MRR"], reference)
    }

    func testScoreBatchReceivesTheCasesInBatches() throws {
        final class RecordingScorer: RankingScorer {
            let numItems = 4
            var batches: [[Int32]] = []
            func scoreBatch(users: [Int32], histories: [[Int32]], into scores: UnsafeMutableBufferPointer<Float>) {
                XCTAssertEqual(scores.count, users.count * numItems)
                XCTAssertEqual(histories, users.map { [$0 % 4] })
                batches.append(users)
                scores.update(repeating: 0)
            }
        }
        let scorer = RecordingScorer()
        let cases = (Int32(0)..<5).map { user -> EvaluationCase in
            EvaluationCase(user: user, history: [user % 4], targets: [(user + 1) % 4])
        }
        _ = try Evaluator(options: EvaluationOptions(batchSize: 2, threadCount: 1)).evaluate(scorer, on: cases)
        XCTAssertEqual(scorer.batches, [[0, 1], [2, 3], [4]])
    }

    func testUnwrittenScoresRankLast() throws {
        final class LazyScorer: RankingScorer {
            let numItems = 5
            func scoreBatch(users: [Int32], histories: [[Int32]], into scores: UnsafeMutableBufferPointer<Float>) {
                for row in 0..<users.count { scores[row * numItems + 1] = 1 }  // writes item 1 only
            }
        }
        let result = try Evaluator(options: EvaluationOptions(cutoffs: [1]))
            .evaluate(LazyScorer(), on: [EvaluationCase(user: 0, history: [], targets: [3])])
        XCTAssertEqual(result.metrics["MRR"]!, 0.2, accuracy: 1e-12)
    }

    func testProgressReachesTheTotal() throws {
        var reports: [Int] = []
        _ = try Evaluator(options: EvaluationOptions(batchSize: 1, threadCount: 1))
            .evaluate(tinyScorer, on: tinyCases) { reports.append($0.casesDone) }
        XCTAssertEqual(reports, [1, 2, 3])
    }

    func testInvalidInputThrows() {
        let evaluator = Evaluator()
        XCTAssertThrowsError(try evaluator.evaluate(tinyScorer, on: [])) {
            XCTAssertEqual($0 as? EvaluationError, .noCases)
        }
        XCTAssertThrowsError(try evaluator.evaluate(tinyScorer, on: [EvaluationCase(user: 0, history: [], targets: [])])) {
            XCTAssertEqual($0 as? EvaluationError, .caseWithoutTargets(user: 0))
        }
        XCTAssertThrowsError(try evaluator.evaluate(tinyScorer, on: [EvaluationCase(user: 1, history: [6], targets: [0])])) {
            XCTAssertEqual($0 as? EvaluationError, .itemOutOfRange(user: 1, item: 6, numItems: 6))
        }
        XCTAssertThrowsError(try Evaluator(options: EvaluationOptions(batchSize: 0)).evaluate(tinyScorer, on: tinyCases))
    }
}
