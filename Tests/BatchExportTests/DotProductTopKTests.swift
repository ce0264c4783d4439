import BatchExport
import LinearAlgebra
import SeededRandom
import XCTest

/// The fused score-and-select kernel against the plain reference: every score as
/// `ReferenceKernels.dot` (bit for bit), ranked by LinearAlgebra's `topK`, over shapes that are not
/// multiples of the kernel's 6 users x 16 items, with ties, NaN, infinities, histories and skips.
final class DotProductTopKTests: XCTestCase {
    private func check(users rows: Int, items numItems: Int, dim: Int, k: Int, values: () -> Float,
                       skipEvery: Int?, historyLength: Int, file: StaticString = #filePath, line: UInt = #line) {
        var random = SplitMix64(seed: UInt64(rows * 1_000_003 + numItems))
        let users = (0..<(rows * dim)).map { _ in values() }
        let items = (0..<(numItems * dim)).map { _ in values() }
        let skipped = (0..<numItems).map { item in skipEvery.map { item % $0 == 1 } ?? false }
        let histories: [[Int32]] = (0..<rows).map { _ in
            (0..<historyLength).map { _ in Int32.random(in: 0..<Int32(numItems), using: &random) }.sorted()
        }
        let kernel = DotProductTopK(panels: ItemPanels(Matrix(rows: numItems, cols: dim, values: items)), globallySkipped: skipped)
        var selectors = [ThresholdTopK](repeating: ThresholdTopK(), count: rows)
        for row in 0..<rows { selectors[row].start(k: k) }
        kernel.select(vectors: users, rows: rows, sortedHistories: histories, into: &selectors)

        var result: [(index: Int32, score: Float)] = []
        for row in 0..<rows {
            let user = Array(users[row * dim..<(row + 1) * dim])
            let scores = (0..<numItems).map { ReferenceKernels.dot(user, Array(items[$0 * dim..<($0 + 1) * dim])) }
            let excluded = histories[row] + (0..<numItems).filter { skipped[$0] }.map(Int32.init)
            let expected = scores.withUnsafeBufferPointer { topK($0, k: k, excluding: excluded) }
            selectors[row].finish(into: &result)
            XCTAssertEqual(result.map { Int($0.index) }, expected, "user \(row) of \(rows), \(numItems) items, d \(dim), k \(k)",
                           file: file, line: line)
            for (entry, item) in zip(result, expected) where !(entry.score.isNaN && scores[item].isNaN) {
                XCTAssertEqual(entry.score.bitPattern, scores[item].bitPattern, "user \(row), item \(item)", file: file, line: line)
            }
        }
    }

    func testMatchesReferenceScoresAndRanking() {
        var random = SplitMix64(seed: 7)
        for (rows, numItems, dim, k) in [(1, 1, 1, 1), (5, 37, 7, 10), (13, 100, 13, 100), (6, 1000, 64, 50), (20, 333, 24, 3)] {
            check(users: rows, items: numItems, dim: dim, k: k, values: { Float(random.nextUnit()) - 0.5 },
                  skipEvery: numItems > 20 ? 9 : nil, historyLength: min(numItems / 3, 12))
        }
    }

    func testTiesNaNAndInfinities() {
        var random = SplitMix64(seed: 8)
        // Small integers: many equal scores, so ties go by index across panels and chunks.
        check(users: 11, items: 500, dim: 3, k: 40, values: { Float(Int.random(in: -1...1, using: &random)) },
              skipEvery: 7, historyLength: 20)
        // A NaN or an infinity in a vector makes whole rows NaN or infinite.
        check(users: 7, items: 70, dim: 4, k: 20, values: {
            switch Int.random(in: 0..<40, using: &random) {
            case 0: return .nan
            case 1: return .infinity
            default: return Float(random.nextUnit())
            }
        }, skipEvery: nil, historyLength: 5)
    }

}
