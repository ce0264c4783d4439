import Datasets
import Dispatch
import Evaluation
import Foundation
import Recommenders
import SeededRandom
import XCTest

enum Fixtures {
    /// Each user interacts with each item with probability `density`, in random order.
    static func randomData(users: Int, items: Int, density: Double, seed: UInt64) -> TrainingData {
        var random = SplitMix64(seed: seed)
        let sequences = (0..<users).map { _ in
            (0..<Int32(items)).filter { _ in Double.random(in: 0..<1, using: &random) < density }.shuffled(using: &random)
        }
        return TrainingData(numUsers: users, numItems: items, sequences: sequences)
    }

    /// The 3 users x 3 items example of the similarity tests: users {0, 1}, {0, 1, 2}, {1, 2}.
    static let threeByThree = TrainingData(numUsers: 3, numItems: 3, sequences: [[0, 1], [2, 1, 0], [1, 2]])

    /// Scores of `model` for `histories`, `[histories.count][numItems]`.
    static func scores(of model: any Recommender, histories: [[Int32]]) -> [[Float]] {
        var flat = [Float](repeating: .nan, count: histories.count * model.numItems)
        flat.withUnsafeMutableBufferPointer {
            model.scoreBatch(users: histories.indices.map { Int32($0) }, histories: histories, into: $0)
        }
        return histories.indices.map { Array(flat[$0 * model.numItems..<($0 + 1) * model.numItems]) }
    }

    /// Real MovieLens-100K (leave-one-out) for the short neural-model checks: the split, its
    /// training part, an NDCG@10 evaluator and MostPop's validation NDCG@10 (the bar to clear);
    /// skips when `make setup` has not fetched the data.
    static func movieLensValidationBar() throws -> (split: Split, train: TrainingData, evaluator: Evaluator, mostPop: Double) {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Data/ml-100k")
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("ml-100k.inter").path) else {
            throw XCTSkip("Data/ml-100k is missing; run `make setup`")
        }
        let split = Experiment(dataset: try loadDataset(at: directory.path, name: "ml-100k").dataset).split
        let train = TrainingData(numUsers: split.numUsers, numItems: split.numItems, sequences: split.train)
        let evaluator = Evaluator(options: EvaluationOptions(cutoffs: [10]))
        let popularity = MostPop()
        try popularity.fit(train)
        return (split, train, evaluator, try evaluator.evaluate(popularity, on: split.validation).metrics[MetricKey.ndcg(at: 10)]!)
    }

    /// The sequential known answer of SASRec and HLLM: two communities of 6 items; each of 24 users
    /// per community walks 3 to 5 of its community's items in a fixed cyclic order from its own
    /// starting point, so the next (unseen) item is determined by the last one.
    static func cyclicWalks() -> (data: TrainingData, sequences: [[Int32]], next: [Int32]) {
        var sequences: [[Int32]] = []
        var next: [Int32] = []
        for community in 0..<2 {
            for user in 0..<24 {
                let walk = (0..<(3 + user / 8)).map { Int32(community * 6 + (user + $0) % 6) }
                sequences.append(walk)
                next.append(Int32(community * 6 + (user + walk.count) % 6))
            }
        }
        return (TrainingData(numUsers: sequences.count, numItems: 12, sequences: sequences), sequences, next)
    }

    /// Scores each history alone from many threads at once and checks them against `scores`
    /// (scored together, one batch): a fitted model is safe to share across threads.
    static func assertConcurrentScoringMatches(_ model: any Recommender, histories: [[Int32]], scores: [[Float]],
                                               _ label: String = "", file: StaticString = #filePath, line: UInt = #line) {
        var concurrent = [[Float]](repeating: [], count: histories.count)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: histories.count) { user in
            let row = Fixtures.scores(of: model, histories: [histories[user]])[0]
            lock.lock()
            concurrent[user] = row
            lock.unlock()
        }
        for (a, b) in zip(concurrent, scores) {
            for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: 1e-5 * max(1, abs(y)), label, file: file, line: line) }
        }
    }
}
