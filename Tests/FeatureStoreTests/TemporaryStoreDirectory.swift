import FeatureStore
import Foundation
import SeededRandom
import XCTest

/// A fresh directory under the system temporary folder, removed when the test ends.
func makeTemporaryDirectory(_ test: XCTestCase, file: StaticString = #filePath, line: UInt = #line) -> String {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("llmrec-store-tests-\(UUID().uuidString)").path
    test.addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
    return path
}


/// Random bytes for property tests.
extension SplitMix64 {
    /// `count` random bytes.
    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
    }
}

/// Runs `body` and returns the error it throws, failing the test when it throws none.
func thrownError(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> Error? {
    do {
        try body()
        XCTFail("expected an error", file: file, line: line)
        return nil
    } catch {
        return error
    }
}
