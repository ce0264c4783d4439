import Datasets
import FeatureStore
import Foundation
import XCTest

/// The LC-Rec / LETTER JSON layout: `X.inter.json` (+ `X.item.json`), timestamps from file positions.
final class LCRecParserTests: XCTestCase {
    private let expectedInteractions = ["7 12 1.0 0", "7 B00X 1.0 1", "7 3 1.0 2", "u2 3 1.0 3", "u2 12 1.0 4", "1 B00X 1.0 5"]
    private let expectedFields: [String: [String: String]] = [
        "12": ["title": "Stapler", "brand": "Swingline", "categories": "Office Products, Staplers"],
        "B00X": ["title": "Gel Pens \"Fine\", 10 pack ☺", "description": "Smooth ink. Ten colours.",
                 "categories": "Office Products, Writing, Pens"],
        "3": ["title": "Paper clips", "brand": "ACME", "categories": "Office Products, Clips", "description": "Box of 100."],
    ]

    func testFolderWithItemFile() throws {
        let parsed = try loadDataset(at: Fixture.path("lc-rec"), name: "shop")
        XCTAssertEqual(parsed.format, .lcRec)
        let dataset = parsed.dataset
        XCTAssertEqual(dataset.userIDs, ["7", "u2", "1"], "users in document order")
        XCTAssertEqual(dataset.itemIDs, ["12", "B00X", "3"], "integer ids read as their text; first-seen order")
        XCTAssertEqual(dataset.rawInteractions, expectedInteractions)
        for (rawID, fields) in expectedFields { XCTAssertEqual(dataset.item(rawID)?.fields, fields, rawID) }
        XCTAssertEqual(dataset.numItems, 3, "item 99 has no user and is ignored")
        XCTAssertEqual(parsed.sourceFiles.map { ($0.path as NSString).lastPathComponent }, ["Shop.inter.json", "Shop.item.json"],
                       "the index file is not read")
        XCTAssertEqual(parsed.report.interactions, 6)
        XCTAssertEqual(parsed.report.describedItems, 3)
        XCTAssertEqual(parsed.report.linesRead, 11 + 16)
        XCTAssertEqual(parsed.report.notes, ["timestamps are record positions in Shop.inter.json (the format has no times)"])
    }

    func testGzippedFolder() throws {
        let parsed = try loadDataset(at: Fixture.path("lc-rec-gz"), name: "shop")
        XCTAssertEqual(parsed.format, .lcRec)
        XCTAssertEqual(parsed.dataset.rawInteractions, expectedInteractions)
        for (rawID, fields) in expectedFields { XCTAssertEqual(parsed.dataset.item(rawID)?.fields, fields, rawID) }
    }

    func testInteractionsFileAloneNeedsNoItemFile() throws {
        let parsed = try loadDataset(at: Fixture.path("lc-rec/Shop.inter.json"), name: "shop")
        XCTAssertEqual(parsed.format, .lcRec)
        XCTAssertEqual(parsed.dataset.rawInteractions, expectedInteractions)
        XCTAssertEqual(parsed.dataset.items.map(\.fields), [[:], [:], [:]])
        XCTAssertEqual(parsed.report.describedItems, 0)
    }

    func testIngestNotesThatTimestampsArePositions() throws {
        let store = try FeatureStore(path: makeTemporaryDirectory(self) + "/store")
        let summary = try ingestDataset(at: Fixture.path("lc-rec"), name: "shop", into: store)
        XCTAssertEqual(summary.metadata.format, "lc-rec")
        XCTAssertEqual(summary.metadata.userCount, 3)
        XCTAssertEqual(summary.metadata.itemCount, 3)
        XCTAssertEqual(summary.metadata.interactionCount, 6)
        XCTAssertEqual(summary.report.notes, ["timestamps are record positions in Shop.inter.json (the format has no times)"])
    }
}
