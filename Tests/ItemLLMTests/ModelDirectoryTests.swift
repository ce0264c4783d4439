import Foundation
import ItemLLM
import XCTest

final class ModelDirectoryTests: XCTestCase {
    func testMissingFolderNamesTheFileAndTheFix() {
        XCTAssertThrowsError(try ModelDirectory(path: "/nonexistent/minilm")) { error in
            XCTAssertEqual(error as? ItemLLMError, .missingModelFile(path: "/nonexistent/minilm/config.json"))
            XCTAssertTrue("\(error)".contains("make setup"))
        }
    }

    func testSetUpModelHasEveryFile() throws {
        XCTAssertNoThrow(try ModelDirectory(path: MiniLM.path))
    }
}

/// The real all-MiniLM-L6-v2 that `make setup` unpacks, found from this file's location.
enum MiniLM {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let path = repositoryRoot.appendingPathComponent(ModelDirectory.defaultPath).path

    /// The model directory; fails the test with a hint when `make setup` has not run.
    static func directory() throws -> ModelDirectory {
        do { return try ModelDirectory(path: path) } catch {
            XCTFail("\(error)")
            throw XCTSkip("no model")
        }
    }

    /// The reference fixture written by `tools/reference/minilm_reference.py`.
    static var fixtureURL: URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("minilm_reference.json")
    }
}
