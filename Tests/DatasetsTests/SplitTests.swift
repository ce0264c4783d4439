import Datasets
import FeatureStore
import XCTest

final class SplitTests: XCTestCase {
    private func dataset(_ rows: [(String, String, Int64)]) -> InteractionDataset {
        var builder = InteractionDatasetBuilder()
        for (user, item, time) in rows { builder.addInteraction(userID: user, itemID: item, rating: 1, timestamp: time) }
        return builder.build(name: "hand-made")
    }

    func testLeaveOneOutOnHandMadeData() {
        // Items get indices in first-seen order: 30->0, 10->1, 20->2, 40->3, 50->4.
        let data = dataset([("u1", "30", 3), ("u1", "10", 1), ("short", "20", 1), ("u1", "40", 2), ("u1", "50", 2), ("short", "10", 2)])
        let split = leaveOneOutSplit(data)
        XCTAssertEqual(split.protocolName, "leave-one-out")
        XCTAssertEqual(split.numUsers, 2)
        XCTAssertEqual(split.numItems, 5)
        // u1 chronologically: 10 (t1), 50 and 40 (t2, tie broken by the seeded hash), 30 (t3).
        XCTAssertLessThan(TieBreak.hash(userID: "u1", itemID: "50", seed: 42), TieBreak.hash(userID: "u1", itemID: "40", seed: 42))
        XCTAssertEqual(split.train, [[1, 4], [2, 1]])
        XCTAssertEqual(split.trainAndValidation, [[1, 4, 3], [2, 1]])
        XCTAssertEqual(split.validation, [EvaluationCase(user: 0, history: [1, 4], targets: [3])])
        XCTAssertEqual(split.test, [EvaluationCase(user: 0, history: [1, 4, 3], targets: [0])])
        // The old rule orders the tie by raw item id: 40 before 50.
        let byID = leaveOneOutSplit(data, tieBreak: .itemID)
        XCTAssertEqual(byID.trainAndValidation, [[1, 3, 4], [2, 1]])
        XCTAssertEqual(byID.test, [EvaluationCase(user: 0, history: [1, 3, 4], targets: [0])])
    }

    func testTemporalSplitOnHandMadeData() {
        // Times 1...10: the 0.8 cut is t[8] = 9, the 0.9 cut t[9] = 10.
        let data = dataset([("a", "1", 1), ("a", "2", 2), ("b", "3", 3), ("b", "4", 4), ("c", "5", 5), ("a", "6", 6),
                            ("b", "7", 7), ("c", "8", 8), ("a", "9", 9), ("b", "3", 10)])
        let split = temporalSplit(data)
        XCTAssertEqual(split.protocolName, "temporal")
        XCTAssertEqual(split.train, [[0, 1, 5], [2, 3, 6], [4, 7]])
        XCTAssertEqual(split.trainAndValidation, [[0, 1, 5, 8], [2, 3, 6], [4, 7]])
        XCTAssertEqual(split.validation, [EvaluationCase(user: 0, history: [0, 1, 5], targets: [8])])
        XCTAssertEqual(split.test, [], "b's only later item is already in its history")
        let wider = temporalSplit(data, validationQuantile: 0.5, testQuantile: 0.8)
        // Cuts t[5] = 6 and t[8] = 9.
        XCTAssertEqual(wider.validation, [EvaluationCase(user: 0, history: [0, 1], targets: [5]),
                                          EvaluationCase(user: 1, history: [2, 3], targets: [6]),
                                          EvaluationCase(user: 2, history: [4], targets: [7])])
        XCTAssertEqual(wider.test, [EvaluationCase(user: 0, history: [0, 1, 5], targets: [8])])
    }

    /// DESIGN.md's check of the protocol (the seeded-hash tie rule) on ML-100K.
    func testLeaveOneOutOnMovieLens100KMatchesTheDesignChecksum() throws {
        try checkMovieLens100KLeaveOneOut(tieBreak: .default, firstLines: ["1\t102\t74\n", "2\t314\t281\n", "3\t320\t318\n"],
                                          testItemIDSum: 455_578,
                                          sha256: "479a2c6701f2c0c7b85ee1eab1cc9595c85b2f1f18d0e297b17f201415e3d3c9")
    }

    /// `--tie-break item-id` reproduces the split of the rule before issue 14 exactly.
    func testLeaveOneOutOnMovieLens100KWithItemIDTiesMatchesTheOldChecksum() throws {
        try checkMovieLens100KLeaveOneOut(tieBreak: .itemID, firstLines: ["1\t74\t102\n", "2\t314\t281\n", "3\t318\t320\n"],
                                          testItemIDSum: 567_307,
                                          sha256: "1043354bdc01bc9d7554d35e73718aa47da33e1b83092ccffa9aeda7e6ccc1fd")
    }

    /// The leave-one-out split of ML-100K under `tieBreak`: lines `user<TAB>valid item<TAB>test item\n`
    /// (raw ids, users ascending numerically) start with `firstLines` and hash to `sha256`, the raw
    /// test item ids sum to `testItemIDSum`; for 415 users the rule decides the last two items.
    private func checkMovieLens100KLeaveOneOut(tieBreak: TieBreak, firstLines: [String], testItemIDSum: Int, sha256: String,
                                               file: StaticString = #filePath, line: UInt = #line) throws {
        let data = try loadDataset(at: try RepositoryData.movieLens100K(), name: "ml-100k").dataset
        let tied = data.chronologicalInteractions(tieBreak: tieBreak).filter { $0[$0.count - 1].timestamp == $0[$0.count - 2].timestamp }
        XCTAssertEqual(tied.count, 415, file: file, line: line)
        let split = leaveOneOutSplit(data, tieBreak: tieBreak)
        XCTAssertEqual(split.numUsers, 943)
        XCTAssertEqual(split.numItems, 1682)
        XCTAssertEqual(split.test.count, 943)
        let lines = zip(split.validation, split.test)
            .map { validation, test in
                (Int(data.userIDs[Int(test.user)])!, "\(data.userIDs[Int(test.user)])\t\(data.itemIDs[Int(validation.targets[0])])\t\(data.itemIDs[Int(test.targets[0])])\n")
            }
            .sorted { $0.0 < $1.0 }
            .map(\.1)
        XCTAssertEqual(Array(lines.prefix(3)), firstLines, file: file, line: line)
        XCTAssertEqual(split.test.reduce(0) { $0 + Int(data.itemIDs[Int($1.targets[0])])! }, testItemIDSum, file: file, line: line)
        var hash = SHA256()
        hash.update(lines.joined())
        XCTAssertEqual(hash.finalizeHex(), sha256, file: file, line: line)
        for (validation, test) in zip(split.validation, split.test) {
            XCTAssertEqual(validation.history, split.train[Int(validation.user)])
            XCTAssertEqual(test.history, split.trainAndValidation[Int(test.user)])
            XCTAssertEqual(test.history, validation.history + validation.targets)
        }
    }

    /// Temporal split invariants on ML-100K: histories are the fit sequences, targets come after the cut.
    func testTemporalSplitInvariantsOnMovieLens100K() throws {
        let data = try loadDataset(at: try RepositoryData.movieLens100K(), name: "ml-100k").dataset
        let split = temporalSplit(data)
        XCTAssertFalse(split.validation.isEmpty)
        XCTAssertFalse(split.test.isEmpty)
        let trainCount = split.train.reduce(0) { $0 + $1.count }
        let fitCount = split.trainAndValidation.reduce(0) { $0 + $1.count }
        XCTAssertEqual(Double(trainCount) / 100_000, 0.8, accuracy: 0.01)
        XCTAssertEqual(Double(fitCount) / 100_000, 0.9, accuracy: 0.01)
        for phase in [(split.validation, split.train), (split.test, split.trainAndValidation)] {
            for evaluationCase in phase.0 {
                XCTAssertEqual(evaluationCase.history, phase.1[Int(evaluationCase.user)])
                XCTAssertTrue(Set(evaluationCase.targets).isDisjoint(with: evaluationCase.history))
                XCTAssertEqual(Set(evaluationCase.targets).count, evaluationCase.targets.count)
            }
        }
    }
}
