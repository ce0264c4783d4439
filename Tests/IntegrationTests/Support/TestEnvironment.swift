import Foundation
import XCTest

/// Paths the integration tests need: the repository, real MovieLens-100K, the built `llmrec`
/// executable and scratch directories.
enum TestEnvironment {
    /// The repository root (three levels above this file).
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Data/ml-100k`, failing the test with a hint when `make setup` has not run.
    static func movieLens100K(file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let folder = repositoryRoot.appendingPathComponent("Data/ml-100k")
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("ml-100k.inter").path) else {
            XCTFail("MovieLens-100K is missing in \(folder.path): run `make setup`", file: file, line: line)
            throw XCTSkip("no data")
        }
        return folder.path
    }

    /// The `llmrec` executable built next to the test bundle (`swift build --build-tests` builds it).
    static func llmrecExecutable(file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        // The test runner is itself an executable in the products folder (Linux: `*.xctest`).
        let productsDirectory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let executable = productsDirectory.appendingPathComponent("llmrec")
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            XCTFail("llmrec is not built in \(productsDirectory.path): run `swift build --build-tests` first",
                    file: file, line: line)
            throw XCTSkip("no executable")
        }
        return executable
    }

    /// Ingests real MovieLens-100K as `ml-100k` into the store at `store` with `llmrec`, failing
    /// the test (with the command's errors) when that does not succeed.
    static func ingestMovieLens100K(into store: String, with llmrec: URL,
                                    file: StaticString = #filePath, line: UInt = #line) throws {
        let ingest = try CommandRun.run(llmrec, ["ingest", try movieLens100K(), "--name", "ml-100k", "--store", store])
        XCTAssertEqual(ingest.status, 0, ingest.standardError, file: file, line: line)
    }

    /// A fresh empty directory, removed when the test ends.
    static func temporaryDirectory(for testCase: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("llmrec-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        testCase.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
