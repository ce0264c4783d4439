import BatchExport
import LinearAlgebra
import SeededRandom
import XCTest

/// The fast selection against LinearAlgebra's reference `topK` over random shapes, ties, NaNs,
/// infinities and signed zeros, whole rows and tiled.
final class ThresholdTopKTests: XCTestCase {
    func testMatchesReferenceTopKOnRandomRows() {
        var random = SplitMix64(seed: 42)
        var selector = ThresholdTopK()
        var result: [(index: Int32, score: Float)] = []
        for trial in 0..<300 {
            let n = Int.random(in: 1...300, using: &random)
            let k = Int.random(in: 1...40, using: &random)
            // Few distinct values force ties; some NaNs and infinities.
            let scores: [Float] = (0..<n).map { _ in
                switch Int.random(in: 0..<20, using: &random) {
                case 0: return .nan
                case 1: return -.infinity
                case 2: return .infinity
                case 3: return -0.0  // equal to 0: a tie, ranked by index
                default: return Float(Int.random(in: 0..<(trial % 2 == 0 ? 5 : 1000), using: &random))
                }
            }
            let excluded = (0..<Int.random(in: 0...n, using: &random)).map { _ in Int32.random(in: 0..<Int32(n), using: &random) }
            var skip = [Bool](repeating: false, count: n)
            for item in excluded { skip[Int(item)] = true }
            let expected = scores.withUnsafeBufferPointer { topK($0, k: k, excluding: excluded) }
            scores.withUnsafeBufferPointer { s in
                skip.withUnsafeBufferPointer { selector.select(s, k: k, skip: $0, into: &result) }
            }
            XCTAssertEqual(result.map { Int($0.index) }, expected, "trial \(trial): n \(n), k \(k)")

            // The same row offered in random tiles, as the tiled export does, gives the same list.
            selector.start(k: k)
            var first = 0
            while first < n {
                let end = min(n, first + Int.random(in: 1...64, using: &random))
                scores.withUnsafeBufferPointer { s in
                    skip.withUnsafeBufferPointer { flags in
                        selector.consume(UnsafeBufferPointer(rebasing: s[first..<end]), firstIndex: first,
                                         skip: UnsafeBufferPointer(rebasing: flags[first..<end]))
                    }
                }
                first = end
            }
            selector.finish(into: &result)
            XCTAssertEqual(result.map { Int($0.index) }, expected, "tiled trial \(trial): n \(n), k \(k)")
        }
    }
}
