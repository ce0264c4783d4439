import SemanticIDs
import XCTest

final class CodeQualityReportTests: XCTestCase {
    func testHandComputedReport() throws {
        let codes = try SemanticIDCodes(codes: [0, 0, 0, 1, 1, 0, 1, 1], codebookSizes: [2, 2])
        let raw = try SemanticIDCodes(codes: [0, 0, 0, 0, 1, 0, 1, 1], codebookSizes: [2, 2])
        let embeddings: [Float] = [1, 0, 0.9, 0.1, 0, 1, 0.1, 0.9]
        let report = CodeQualityReport(name: "test", method: "hand", codes: codes, rawCodes: raw, embeddings: embeddings, dim: 2,
                                       relativeReconstructionError: 0.5, fitSeconds: 1, neighbours: 1)
        XCTAssertEqual(report.levels.map(\.usedCodes), [2, 2])
        XCTAssertEqual(report.levels.map(\.usage), [1, 1])
        XCTAssertEqual(report.levels[0].normalizedEntropy, 1, accuracy: 1e-12)
        XCTAssertEqual(report.collisionRateBeforeDeduplication!, 0.25, accuracy: 1e-12)
        XCTAssertEqual(report.largestCollisionGroup, 2)
        XCTAssertEqual(report.collisionRateByDepth, [0.5, 0])
        XCTAssertTrue(report.isUnique)
        XCTAssertEqual(report.neighbourhood.map(\.depth), [1, 2])
        XCTAssertEqual(report.neighbourhood[0].share, 1)        // every item's nearest neighbour shares its first code
        XCTAssertEqual(report.neighbourhood[0].chance, 1.0 / 3, accuracy: 1e-12)  // 2 groups of 2: 4 ordered pairs of 12
        XCTAssertEqual(report.neighbourhood[1].share, 0)
        XCTAssertEqual(report.neighbourhood[1].chance, 0)
    }

    func testSkewedUsageHasLowEntropy() throws {
        // 9 items on code 0 and 1 on code 1 of a 4-code level: usage 2/4, entropy H(0.9, 0.1)/log 4.
        let codes = try SemanticIDCodes(codes: [Int32](repeating: 0, count: 9) + [1], codebookSizes: [4])
        let report = CodeQualityReport(name: "skew", method: "hand", codes: codes, rawCodes: nil,
                                       embeddings: gaussianPoints(10, dim: 3, seed: 1), dim: 3,
                                       relativeReconstructionError: nil, fitSeconds: nil)
        XCTAssertEqual(report.levels[0].usage, 0.5)
        let entropy = -(0.9 * log(0.9) + 0.1 * log(0.1)) / log(4.0)
        XCTAssertEqual(report.levels[0].normalizedEntropy, entropy, accuracy: 1e-12)
        XCTAssertNil(report.collisionRateBeforeDeduplication)
        XCTAssertEqual(report.largestCollisionGroup, 9)
        XCTAssertFalse(report.isUnique)
        XCTAssertEqual(report.neighbourhood.count, 1)
    }
}
