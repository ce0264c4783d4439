import LinearAlgebra
import SeededRandom
import XCTest

final class TopKTests: XCTestCase {
    private func fastTopK(_ scores: [Float], k: Int, excluding excluded: [Int32] = []) -> [Int] {
        scores.withUnsafeBufferPointer { topK($0, k: k, excluding: excluded) }
    }

    func testByHandWithTiesNaNAndExclusions() {
        let scores: [Float] = [0.5, .nan, 2, 0.5, 2, -.infinity, 1]
        XCTAssertEqual(fastTopK(scores, k: 3), [2, 4, 6])
        XCTAssertEqual(fastTopK(scores, k: 7), [2, 4, 6, 0, 3, 5, 1])
        XCTAssertEqual(fastTopK(scores, k: 100), [2, 4, 6, 0, 3, 5, 1], "k > n returns everything")
        XCTAssertEqual(fastTopK(scores, k: 3, excluding: [4, 2, 4, 99, -1]), [6, 0, 3])
        XCTAssertEqual(fastTopK(scores, k: 0), [])
        XCTAssertEqual(fastTopK([], k: 3), [])
        XCTAssertEqual(fastTopK([.nan, .nan, 1], k: 2), [2, 0])
    }

    func testMatchesFullSortOverRandomInputs() {
        var random = SplitMix64(seed: 7)
        for trial in 0..<300 {
            let n = Int.random(in: 0...200, using: &random)
            // Few distinct values so ties are common; some NaN and infinities.
            let scores: [Float] = (0..<n).map { _ in
                switch Int.random(in: 0..<20, using: &random) {
                case 0: return .nan
                case 1: return .infinity
                case 2: return -.infinity
                default: return Float(Int.random(in: -5...5, using: &random))
                }
            }
            let k = Int.random(in: 0...(n + 5), using: &random)
            let excluded = (0..<Int.random(in: 0...20, using: &random)).map { _ in Int32.random(in: -2...Int32(n + 2), using: &random) }
            XCTAssertEqual(fastTopK(scores, k: k, excluding: excluded),
                           ReferenceKernels.topK(scores, k: k, excluding: excluded), "trial \(trial)")
        }
    }
}
