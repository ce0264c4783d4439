import Foundation
import Simulation
import XCTest

/// Session metrics by hand.
final class SessionOutcomeTests: XCTestCase {
    func testMetricsByHand() {
        let outcome = SessionOutcome(clicked: [true, false, true], examined: 3)
        XCTAssertEqual(outcome.value(of: .clickThroughRate), 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(outcome.value(of: .hit), 1)
        XCTAssertEqual(outcome.value(of: .itemsPerSession), 2)
        XCTAssertEqual(outcome.value(of: .examinedItems), 3)
        // (1 + 1/log2 4) / (1 + 1/log2 3 + 1/log2 4)
        XCTAssertEqual(outcome.value(of: .clickNDCG), 1.5 / (1.5 + 1 / log2(3.0)), accuracy: 1e-12)
        let nothing = SessionOutcome(clicked: [false, false], examined: 0)
        for metric in SessionMetric.allCases { XCTAssertEqual(nothing.value(of: metric), 0) }
    }
}
