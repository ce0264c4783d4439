import SemanticIDs
import XCTest

final class UniqueCodesTests: XCTestCase {
    private func codes(_ tuples: [[Int32]], sizes: [Int]) throws -> SemanticIDCodes {
        try SemanticIDCodes(codes: tuples.flatMap { $0 }, codebookSizes: sizes)
    }

    func testExtraLevelNumbersCollisionsByCloseness() throws {
        let raw = try codes([[1, 2], [0, 0], [1, 2], [1, 2]], sizes: [4, 4])
        let unique = UniqueCodes.appendingDisambiguationLevel(to: raw, closeness: [0.5, 9, 0.1, 0.5])
        XCTAssertEqual(unique.codebookSizes, [4, 4, 3])
        XCTAssertEqual((0..<4).map(unique.tuple(of:)), [[1, 2, 1], [0, 0, 0], [1, 2, 0], [1, 2, 2]])
        XCTAssertTrue(unique.isUnique)
    }

    func testBalancedLastLevelIsAMinCostMatching() throws {
        // Items 0 and 1 share prefix (0) and both chose last code 0; centroids on a line at 0, 1, 2.
        // Item 0 sits at 0.1, item 1 at -0.2: moving item 0 to code 1 costs 0.81 - 0.01, moving item 1
        // costs 1.44 - 0.04, so item 0 moves.
        let raw = try codes([[0, 0], [0, 0], [1, 0]], sizes: [2, 3])
        let balanced = try UniqueCodes.balancingLastLevel(raw, lastLevelInputs: [0.1, -0.2, 0], lastCodebook: [0, 1, 2], dim: 1)
        XCTAssertEqual((0..<3).map(balanced.tuple(of:)), [[0, 1], [0, 0], [1, 0]])
        XCTAssertEqual(balanced.codebookSizes, [2, 3])
    }

    func testBalancedFailsWhenAPrefixHasMoreItemsThanCodes() throws {
        let raw = try codes([[0, 0], [0, 0], [0, 1]], sizes: [1, 2])
        XCTAssertThrowsError(try UniqueCodes.balancingLastLevel(raw, lastLevelInputs: [0, 0, 0], lastCodebook: [0, 1], dim: 1)) {
            XCTAssertEqual("\($0)", "invalid input: 3 items share the code prefix (0), more than the 2 codes of the last level: a balanced last level cannot make them unique; use the extra-level strategy")
        }
    }

    func testNewItemsGetFreeCodes() throws {
        let existing = try codes([[1, 2, 0], [1, 2, 1], [0, 0, 0]], sizes: [4, 4, 2])
        let extra = try UniqueCodes.appending(quantized: [1, 2], to: existing, strategy: .extraLevel, lastLevelInput: [], lastCodebook: [])
        XCTAssertEqual(extra.tuple(of: 3), [1, 2, 2])
        XCTAssertEqual(extra.codebookSizes, [4, 4, 3])
        XCTAssertTrue(extra.isUnique)

        let balancedSet = try codes([[1, 0], [1, 1]], sizes: [2, 3])
        let balanced = try UniqueCodes.appending(quantized: [1, 0], to: balancedSet, strategy: .balanced,
                                                 lastLevelInput: [0.2], lastCodebook: [0, 1, 2])
        XCTAssertEqual(balanced.tuple(of: 2), [1, 2])
        let full = try codes([[1, 0], [1, 1], [1, 2]], sizes: [2, 3])
        XCTAssertThrowsError(try UniqueCodes.appending(quantized: [1, 0], to: full, strategy: .balanced,
                                                       lastLevelInput: [0.2], lastCodebook: [0, 1, 2]))
    }
}
