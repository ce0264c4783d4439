import Datasets
import SeededRandom
import XCTest

/// The tie rules of `TieBreak`: the seeded hash (the protocol's) and raw item id order (the old one).
final class TieBreakTests: XCTestCase {
    private func dataset(_ rows: [(user: String, item: String, rating: Float, time: Int64)]) -> InteractionDataset {
        var builder = InteractionDatasetBuilder()
        for row in rows { builder.addInteraction(userID: row.user, itemID: row.item, rating: row.rating, timestamp: row.time) }
        return builder.build(name: "hand-made")
    }

    /// Each raw user's sequence as raw item ids, so data sets with different internal indices compare.
    private func rawSequences(_ data: InteractionDataset, _ tieBreak: TieBreak) -> [String: [String]] {
        let sequences = data.chronologicalSequences(tieBreak: tieBreak)
        return Dictionary(uniqueKeysWithValues: data.userIDs.enumerated().map { user, id in
            (id, sequences[user].map { data.itemIDs[Int($0)] })
        })
    }

    /// 2,000 seeded interactions of 20 users over 60 items in only 8 distinct seconds: nearly every
    /// position is a tie.
    private func tiedRows(seed: UInt64) -> [(user: String, item: String, rating: Float, time: Int64)] {
        var random = SplitMix64(seed: seed)
        return (0..<2_000).map { _ in
            ("user\(random.nextIndex(below: 20))", String(random.nextIndex(below: 60) * 7 + 1), 1,
             Int64(random.nextIndex(below: 8)))
        }
    }

    /// Known answers of the specification (FNV-1a over `user 0x00 item`, SplitMix64 finaliser with
    /// the seed), computed by an independent Python implementation.
    func testHashMatchesItsSpecification() {
        XCTAssertEqual(TieBreak.hash(userID: "1", itemID: "2", seed: 42), 0x2267_0784_B674_27EE)
        XCTAssertEqual(TieBreak.hash(userID: "u1", itemID: "40", seed: 7), 0xF123_9A73_1BC4_7004)
        XCTAssertEqual(TieBreak.hash(userID: "", itemID: "", seed: 42), 0x5DB4_FA7C_D83D_8D7E)
        XCTAssertEqual(TieBreak.hash(userID: "ü", itemID: "é", seed: 42), 0xF145_6B07_7C14_BFB0, "UTF-8 bytes")
        XCTAssertNotEqual(TieBreak.hash(userID: "1", itemID: "2", seed: 42), TieBreak.hash(userID: "1", itemID: "2", seed: 43))
        XCTAssertNotEqual(TieBreak.hash(userID: "12", itemID: "3", seed: 42), TieBreak.hash(userID: "1", itemID: "23", seed: 42),
                          "the separator keeps the user and item ids apart")
        XCTAssertEqual(TieBreak.default, .seededHash(seed: 42))
    }

    /// Two items rated by one user in the same second: the hash decides, whatever their ids.
    func testTiesFollowTheHashNotTheItemID() {
        let hashOf1 = TieBreak.hash(userID: "u", itemID: "1", seed: 42)
        let hashOf2 = TieBreak.hash(userID: "u", itemID: "2", seed: 42)
        XCTAssertLessThan(hashOf2, hashOf1, "the case needs a pair whose hash order is the reverse of its id order")
        let data = dataset([("u", "1", 1, 5), ("u", "2", 1, 5), ("u", "0", 1, 1), ("u", "3", 1, 9)])
        XCTAssertEqual(rawSequences(data, .default)["u"], ["0", "2", "1", "3"])
        XCTAssertEqual(rawSequences(data, .itemID)["u"], ["0", "1", "2", "3"])
        let other = TieBreak.seededHash(seed: 7)
        let expected = TieBreak.hash(userID: "u", itemID: "1", seed: 7) < TieBreak.hash(userID: "u", itemID: "2", seed: 7)
            ? ["0", "1", "2", "3"] : ["0", "2", "1", "3"]
        XCTAssertEqual(rawSequences(data, other)["u"], expected)
    }

    /// The same interactions in another line order (so with other internal user and item indices)
    /// give the same sequences, under both rules.
    func testRulesIgnoreLineOrderAndInternalIndices() {
        let rows = tiedRows(seed: 3)
        let data = dataset(rows), reversed = dataset(rows.reversed())
        XCTAssertNotEqual(data.itemIDs, reversed.itemIDs, "the internal indices differ")
        for tieBreak in [TieBreak.default, .seededHash(seed: 9), .itemID] {
            XCTAssertEqual(rawSequences(data, tieBreak), rawSequences(reversed, tieBreak), "\(tieBreak)")
        }
        XCTAssertNotEqual(rawSequences(data, .default), rawSequences(data, .itemID))
        XCTAssertNotEqual(rawSequences(data, .default), rawSequences(data, .seededHash(seed: 9)))
    }

    /// One data set written as a MovieLens ratings.csv and, lines reversed, as a RecBole `.inter`
    /// file splits the same.
    func testSplitIsTheSameInEveryFileFormat() throws {
        let rows = tiedRows(seed: 5)
        let directory = try makeTemporaryDirectory(self)
        let csv = "userId,movieId,rating,timestamp\n" + rows.map { "\($0.user),\($0.item),1,\($0.time)\n" }.joined()
        try csv.write(toFile: "\(directory)/ratings.csv", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: "\(directory)/tied", withIntermediateDirectories: true)
        let inter = "user_id:token\titem_id:token\trating:float\ttimestamp:float\n"
            + rows.reversed().map { "\($0.user)\t\($0.item)\t1\t\($0.time)\n" }.joined()
        try inter.write(toFile: "\(directory)/tied/tied.inter", atomically: true, encoding: .utf8)
        let fromCSV = try loadDataset(at: "\(directory)/ratings.csv", name: "tied").dataset
        let fromRecBole = try loadDataset(at: "\(directory)/tied", name: "tied").dataset
        XCTAssertEqual(fromCSV.interactions.count, rows.count)
        XCTAssertEqual(fromRecBole.interactions.count, rows.count)
        let testTargets = { (data: InteractionDataset) in
            Dictionary(uniqueKeysWithValues: leaveOneOutSplit(data).test.map {
                (data.userIDs[Int($0.user)], $0.targets.map { data.itemIDs[Int($0)] })
            })
        }
        XCTAssertEqual(rawSequences(fromCSV, .default), rawSequences(fromRecBole, .default))
        XCTAssertEqual(testTargets(fromCSV), testTargets(fromRecBole))
    }

    /// The same item twice in one second (equal hashes) keeps the input order, so the order of the
    /// interactions (here their ratings) is still fully determined.
    func testRepeatedItemInOneSecondKeepsInputOrder() {
        let data = dataset([("u", "7", 4, 3), ("u", "8", 1, 3), ("u", "7", 2, 3), ("u", "7", 5, 1)])
        let sequence = data.chronologicalInteractions()[0]
        XCTAssertEqual(sequence.map { data.itemIDs[Int($0.item)] }.first, "7")
        XCTAssertEqual(sequence.filter { data.itemIDs[Int($0.item)] == "7" }.map(\.rating), [5, 4, 2])
    }

    func testRulesReadAndWriteTheirNames() {
        XCTAssertEqual(TieBreak.default.description, "seeded-hash")
        XCTAssertEqual(TieBreak.seededHash(seed: 7).description, "seeded-hash:7")
        XCTAssertEqual(TieBreak.itemID.description, "item-id")
        for rule in [TieBreak.default, .seededHash(seed: 7), .seededHash(seed: .max), .itemID] {
            XCTAssertEqual(TieBreak(rule.description), rule)
        }
        XCTAssertEqual(TieBreak("seeded-hash:42"), .default)
        for bad in ["", "random", "seeded-hash:", "seeded-hash:-1", "Item-ID"] { XCTAssertNil(TieBreak(bad), bad) }
    }
}
