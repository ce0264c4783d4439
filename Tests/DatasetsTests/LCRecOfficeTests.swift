import Datasets
import Foundation
import XCTest

/// The real Amazon Office Products 5-core set in the LC-Rec layout, from `../shared/data/amazon-office`.
final class LCRecOfficeTests: XCTestCase {
    /// `../shared/data/amazon-office` next to the package root; skips when absent.
    private func officeDirectory() throws -> String {
        var root = URL(fileURLWithPath: #filePath)
        while root.path != "/" && !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
            root.deleteLastPathComponent()
        }
        let directory = root.deletingLastPathComponent().appendingPathComponent("shared/data/amazon-office")
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("Office.inter.json").path) else {
            throw XCTSkip("../shared/data/amazon-office is absent: the Amazon Office data set is not part of the repository")
        }
        return directory.path
    }

    func testOfficeProducts() throws {
        let parsed = try loadDataset(at: try officeDirectory(), name: "office")
        XCTAssertEqual(parsed.format, .lcRec)
        let dataset = parsed.dataset
        XCTAssertEqual(dataset.numUsers, 4905)
        XCTAssertEqual(dataset.numItems, 2420)
        XCTAssertEqual(dataset.interactions.count, 53_258)
        XCTAssertEqual(parsed.report.describedItems, 2420)
        // Every item has a record with a title key; three titles are blank in the published file
        // (items 828, 1429, 1786), and blank values are left out of the fields.
        let untitled = dataset.items.filter { ($0.fields["title"] ?? "").isEmpty }.map(\.rawID)
        XCTAssertEqual(untitled, ["828", "1429", "1786"])
        XCTAssertTrue(dataset.items.allSatisfy { !$0.fields.isEmpty }, "every item is described")
        XCTAssertEqual(dataset.interactions.map(\.timestamp), (0..<53_258).map(Int64.init), "timestamps are positions")
        // The README's first user and first item.
        XCTAssertEqual(dataset.userIDs.first, "0")
        XCTAssertEqual(dataset.rawInteractions.prefix(5), ["0 0 1.0 0", "0 1 1.0 1", "0 2 1.0 2", "0 3 1.0 3", "0 4 1.0 4"])
        XCTAssertEqual(dataset.item("0")?.fields, [
            "title": "VTECH CS6114 DECT 6.0 Cordless Phone, White/Grey, 1 Handset", "brand": "VTech",
            "categories": "Office Electronics, Telephones & Accessories, Cordless Telephones",
        ])
    }
}
