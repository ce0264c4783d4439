import Simulation
import XCTest

/// Gini and coverage of exposures by hand.
final class ExposureStatisticsTests: XCTestCase {
    func testGiniByHand() {
        XCTAssertEqual(ExposureStatistics.gini([0, 0, 0, 1]), 0.75, accuracy: 1e-12)
        XCTAssertEqual(ExposureStatistics.gini([1, 1, 1, 1]), 0, accuracy: 1e-12)
        XCTAssertEqual(ExposureStatistics.gini([1, 0]), 0.5, accuracy: 1e-12)
        // sorted 1, 2, 3: (-2·1 + 0·2 + 2·3) / (3 · 6)
        XCTAssertEqual(ExposureStatistics.gini([3, 1, 2]), 4.0 / 18, accuracy: 1e-12)
        XCTAssertEqual(ExposureStatistics.gini([0, 0]), 0)
    }

    func testCoverageByHand() {
        XCTAssertEqual(ExposureStatistics.coverage([0, 0, 0, 1]), 0.25)
        XCTAssertEqual(ExposureStatistics.coverage([2, 1]), 1)
    }
}
