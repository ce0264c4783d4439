import FeatureStore
import Foundation
import XCTest

/// A fresh directory under the system temporary folder, removed when the test ends.
func makeTemporaryDirectory(_ test: XCTestCase, file: StaticString = #filePath, line: UInt = #line) -> String {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("llmrec-store-tests-\(UUID().uuidString)").path
    test.addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
    return path
}

/// SplitMix64 (Steele et al., 2014): a tiny seeded generator so property tests are reproducible.
struct StoreTestRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

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
