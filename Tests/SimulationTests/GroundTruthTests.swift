import Foundation
import Simulation
import XCTest

/// The preference model by hand on one user and four items.
final class GroundTruthTests: XCTestCase {
    func testAttractionsByHand() {
        // Truth scores 3, 1, 2, 0; the rankers know item 0; item 3 is a held-out later interaction.
        // Unseen items 1, 2, 3 score 1, 2, 0: best 2, population sd sqrt(2/3).
        let truth = GroundTruth(truth: TableScorer([[3, 1, 2, 0]]), allSequences: [[0, 3]], rankerHistories: [[0]],
                                options: .init(maxAttraction: 0.5, temperature: 1, heldOutAttraction: 0.5))
        let sd = (2.0 / 3).squareRoot()
        XCTAssertEqual(truth.attraction(user: 0, item: 0), 0)
        XCTAssertEqual(truth.attraction(user: 0, item: 2), 0.5, accuracy: 1e-6)
        XCTAssertEqual(truth.attraction(user: 0, item: 1), 0.5 * exp(-1 / sd), accuracy: 1e-6)
        XCTAssertEqual(truth.attraction(user: 0, item: 3), 0.5, accuracy: 1e-6, "held out: at least 0.5")
        let hotter = GroundTruth(truth: TableScorer([[3, 1, 2, 0]]), allSequences: [[0]], rankerHistories: [[0]],
                                 options: .init(temperature: 2))
        XCTAssertEqual(hotter.attraction(user: 0, item: 3), 0.5 * exp(-2 / (2 * sd)), accuracy: 1e-6)
    }
}
