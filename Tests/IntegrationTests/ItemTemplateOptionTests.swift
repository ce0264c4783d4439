import Foundation
import XCTest

/// `--item-template` as a user types it: every command that encodes the catalogue takes it, and a
/// field no item has is one `Error:` line listing the fields the data has, before the item LLM runs.
final class ItemTemplateOptionTests: XCTestCase {
    private var llmrec: URL!
    private var directory: URL!

    override func setUpWithError() throws {
        llmrec = try TestEnvironment.llmrecExecutable()
        directory = try TestEnvironment.temporaryDirectory(for: self)
    }

    func testCommandsThatEncodeTheCatalogueTakeTheOption() throws {
        for command in ["semantic-ids", "pipeline", "evaluate", "train"] {
            let help = try CommandRun.run(llmrec, [command, "--help"])
            XCTAssertEqual(help.status, 0, help.standardError)
            XCTAssertTrue(help.standardOutput.contains("--item-template <template>"), "\(command): \(help.standardOutput)")
        }
    }

    func testAFieldNoItemHasIsOneErrorLineListingTheDataFields() throws {
        let store = directory.appendingPathComponent("store").path
        try TestEnvironment.ingestMovieLens100K(into: store, with: llmrec)
        let itemLLM = TestEnvironment.repositoryRoot.appendingPathComponent("Data/minilm").path
        let run = try CommandRun.run(llmrec, ["semantic-ids", "--store", store, "--item-llm", itemLLM, "--item-template", "title,brand",
                                              "--reports", directory.appendingPathComponent("reports").path])
        XCTAssertNotEqual(run.status, 0)
        let errors = run.standardError.split(separator: "\n").filter { $0.hasPrefix("Error:") }
        XCTAssertEqual(errors, ["Error: item template field 'brand' is not a field of any item; the items have: genres, title, year "
                                + "(or give a built-in template: movielens, amazon)"], run.standardError)
        XCTAssertFalse(run.standardError.contains("item LLM: encoded"), "the catalogue was encoded before the error")
    }
}
