import SeededRandom
import XCTest

final class ZipfDistributionTests: XCTestCase {
    func testRanksByHand() {
        // Exponent 1 over 3 ranks: weights 1, 1/2, 1/3, running sums 1, 1.5, 11/6.
        let zipf = ZipfDistribution(count: 3, exponent: 1)
        let total = 11.0 / 6
        XCTAssertEqual(zipf.rank(atFraction: 0), 0)
        XCTAssertEqual(zipf.rank(atFraction: 0.99 / total), 0)
        XCTAssertEqual(zipf.rank(atFraction: 1.01 / total), 1)
        XCTAssertEqual(zipf.rank(atFraction: 1.49 / total), 1)
        XCTAssertEqual(zipf.rank(atFraction: 1.51 / total), 2)
        XCTAssertEqual(zipf.rank(atFraction: 0.999_999), 2)
    }

    func testSampleFrequenciesFollowTheWeights() {
        // Exponent 0 is uniform; exponent 2 over 2 ranks gives P(0) = 1 / (1 + 1/4) = 0.8.
        var random = SplitMix64(seed: 9)
        let uniform = ZipfDistribution(count: 4, exponent: 0)
        var counts = [Int](repeating: 0, count: 4)
        for _ in 0..<40_000 { counts[uniform.sample(using: &random)] += 1 }
        for count in counts { XCTAssertEqual(Double(count) / 40_000, 0.25, accuracy: 0.01) }
        let steep = ZipfDistribution(count: 2, exponent: 2)
        let zeros = (0..<40_000).filter { _ in steep.sample(using: &random) == 0 }.count
        XCTAssertEqual(Double(zeros) / 40_000, 0.8, accuracy: 0.01)
    }
}
