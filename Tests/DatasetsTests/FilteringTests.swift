import Datasets
import SeededRandom
import XCTest

final class FilteringTests: XCTestCase {
    /// A data set from `(user, item, rating, timestamp)` rows with raw ids, in that order.
    private func dataset(_ rows: [(String, String, Float, Int64)]) -> InteractionDataset {
        var builder = InteractionDatasetBuilder()
        for (user, item, rating, time) in rows { builder.addInteraction(userID: user, itemID: item, rating: rating, timestamp: time) }
        for (index, row) in rows.enumerated() { builder.addItemFields(rawID: row.1, fields: ["title": "T\(row.1)-\(index)"]) }
        return builder.build(name: "hand-made")
    }

    func testRatingThresholdKeepsRatingsAtOrAboveAndReindexes() {
        let data = dataset([("u1", "a", 5, 1), ("u2", "b", 3, 2), ("u3", "c", 4, 3), ("u1", "b", 1, 4), ("u3", "a", 4.5, 5)])
        let filtered = RatingThreshold(minimumRating: 4).apply(to: data)
        XCTAssertEqual(filtered.userIDs, ["u1", "u3"])
        XCTAssertEqual(filtered.itemIDs, ["a", "c"])
        XCTAssertEqual(filtered.rawInteractions, ["u1 a 5.0 1", "u3 c 4.0 3", "u3 a 4.5 5"])
        XCTAssertEqual(filtered.interactions.map(\.user), [0, 1, 1])
        XCTAssertEqual(filtered.interactions.map(\.item), [0, 1, 0])
        XCTAssertEqual(filtered.items.map(\.rawID), ["a", "c"])
        XCTAssertEqual(filtered.items.map(\.title), ["Ta-4", "Tc-2"])
    }

    /// C's only other item has one interaction; removing it leaves C with one, so C goes too
    /// (a single pass would keep C-i1).
    func testKCoreIsIterative() {
        let data = dataset([("A", "i1", 1, 1), ("A", "i2", 1, 2), ("B", "i1", 1, 3), ("B", "i2", 1, 4), ("C", "i3", 1, 5), ("C", "i1", 1, 6)])
        let core = KCoreFilter(k: 2).apply(to: data)
        XCTAssertEqual(core.userIDs, ["A", "B"])
        XCTAssertEqual(core.itemIDs, ["i1", "i2"])
        XCTAssertEqual(core.rawInteractions, ["A i1 1.0 1", "A i2 1.0 2", "B i1 1.0 3", "B i2 1.0 4"])
        XCTAssertEqual(KCoreFilter(k: 3).apply(to: data).interactions.count, 0)
        XCTAssertEqual(KCoreFilter(minimumUserInteractions: 2, minimumItemInteractions: 1).apply(to: data).interactions.count, 6)
    }

    /// On random data, the k-core has every count >= k, is a fixed point, and keeps every
    /// interaction whose user and item lie in the core.
    func testKCoreInvariantsOnRandomData() {
        var random = SplitMix64(seed: 3)
        for trial in 0..<30 {
            let rows = (0..<Int.random(in: 0...400, using: &random)).map { index in
                ("u\(Int.random(in: 0..<40, using: &random))", "i\(Int.random(in: 0..<30, using: &random))", Float(1), Int64(index))
            }
            let data = dataset(rows)
            let k = Int.random(in: 1...6, using: &random)
            let core = KCoreFilter(k: k).apply(to: data)
            var userCounts: [Int32: Int] = [:], itemCounts: [Int32: Int] = [:]
            for interaction in core.interactions {
                userCounts[interaction.user, default: 0] += 1
                itemCounts[interaction.item, default: 0] += 1
            }
            XCTAssertTrue(userCounts.values.allSatisfy { $0 >= k } && itemCounts.values.allSatisfy { $0 >= k }, "trial \(trial)")
            XCTAssertEqual(userCounts.count, core.numUsers)
            XCTAssertEqual(itemCounts.count, core.numItems)
            XCTAssertEqual(KCoreFilter(k: k).apply(to: core).rawInteractions, core.rawInteractions)
            let users = Set(core.userIDs), items = Set(core.itemIDs)
            let expected = data.rawInteractions.filter { line in
                let parts = line.split(separator: " ")
                return users.contains(String(parts[0])) && items.contains(String(parts[1]))
            }
            XCTAssertEqual(core.rawInteractions, expected, "trial \(trial)")
        }
    }

    func testItemIDTieRuleComparesIntegerIDsAsNumbers() {
        let integers = dataset([("u", "10", 1, 5), ("u", "9", 1, 5), ("u", "100", 1, 4), ("u", "2", 1, 6)])
        XCTAssertTrue(integers.itemIDsAreIntegers)
        XCTAssertEqual(integers.chronologicalSequences(tieBreak: .itemID)[0].map { integers.itemIDs[Int($0)] }, ["100", "9", "10", "2"])
        let strings = dataset([("u", "10", 1, 5), ("u", "9", 1, 5), ("u", "b", 1, 5), ("u", "a", 1, 5), ("u", "Z", 1, 7)])
        XCTAssertFalse(strings.itemIDsAreIntegers)
        XCTAssertEqual(strings.chronologicalSequences(tieBreak: .itemID)[0].map { strings.itemIDs[Int($0)] }, ["10", "9", "a", "b", "Z"])
    }
}
