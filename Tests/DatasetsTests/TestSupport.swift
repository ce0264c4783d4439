import Datasets
import Foundation
import XCTest

/// Paths of the fixture files copied into the test bundle.
enum Fixture {
    /// `Fixtures/<relative>` inside the test bundle.
    static func path(_ relative: String) -> String {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent(relative).path
    }
}

/// The MovieLens-100K RecBole files fetched by `make setup`.
enum RepositoryData {
    /// `Data/ml-100k` at the repository root; fails the test when the files are missing.
    static func movieLens100K(file: StaticString = #filePath, line: UInt = #line) throws -> String {
        var root = URL(fileURLWithPath: #filePath)
        while root.path != "/" && !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
            root.deleteLastPathComponent()
        }
        let directory = root.appendingPathComponent("Data/ml-100k")
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("ml-100k.inter").path) else {
            XCTFail("MovieLens-100K is missing from \(directory.path): run `make setup`", file: file, line: line)
            throw XCTSkip("no data")
        }
        return directory.path
    }
}

/// A fresh temporary directory, removed when the test ends.
func makeTemporaryDirectory(_ testCase: XCTestCase) throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("llmrec-datasets-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    testCase.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url.path
}

/// Asserts that `expression` throws a `DatasetError` whose one-line description is exactly `message`.
func assertDatasetError<T>(_ expression: @autoclosure () throws -> T, _ message: String,
                           file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertThrowsError(try expression(), file: file, line: line) { error in
        guard let error = error as? DatasetError else {
            return XCTFail("expected a DatasetError, got \(error)", file: file, line: line)
        }
        XCTAssertEqual(error.description, message, file: file, line: line)
        XCTAssertFalse(error.description.contains("\n"), "one line", file: file, line: line)
    }
}

extension InteractionDataset {
    /// Interactions as `(raw user, raw item, rating, timestamp)` tuples in input order, for comparisons.
    var rawInteractions: [String] {
        interactions.map { "\(userIDs[Int($0.user)]) \(itemIDs[Int($0.item)]) \($0.rating) \($0.timestamp)" }
    }

    /// The item record of raw id `rawID`.
    func item(_ rawID: String) -> ItemRecord? {
        itemIDs.firstIndex(of: rawID).map { items[$0] }
    }
}
