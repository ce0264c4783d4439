import SeededRandom
import Simulation
import XCTest

/// Click models against probabilities worked out by hand, and the sampler against its expectation.
final class ClickModelTests: XCTestCase {
    private let attractions = [0.5, 0.4, 0.2]

    func testPositionBasedProbabilitiesByHand() {
        // 0.9 engaged × examination 1, 1/2, 1/3 × attraction 0.5, 0.4, 0.2.
        let model = ClickModel(kind: .positionBased, positionDecay: 1, noClickProbability: 0.1)
        let expected = [0.45, 0.18, 0.06]
        for (p, e) in zip(model.clickProbabilities(attractions: attractions), expected) { XCTAssertEqual(p, e, accuracy: 1e-12) }
        XCTAssertEqual(ClickModel(positionDecay: 2).examinationProbability(rank: 2), 1.0 / 9, accuracy: 1e-12)
    }

    func testCascadeProbabilitiesByHand() {
        // 0.9 × 0.5; 0.9 × 0.5 × 0.4; 0.9 × 0.5 × 0.6 × 0.2.
        let model = ClickModel(kind: .cascade, noClickProbability: 0.1)
        let expected = [0.45, 0.18, 0.054]
        for (p, e) in zip(model.clickProbabilities(attractions: attractions), expected) { XCTAssertEqual(p, e, accuracy: 1e-12) }
    }

    func testSamplingMatchesTheExactProbabilities() {
        for model in [ClickModel(kind: .positionBased, positionDecay: 1, noClickProbability: 0.1),
                      ClickModel(kind: .cascade, noClickProbability: 0.1)] {
            var random = SplitMix64(seed: 7)
            var counts = [0, 0, 0]
            let sessions = 200_000
            for _ in 0..<sessions {
                let outcome = model.simulate(attractions: attractions, random: &random)
                for rank in counts.indices where outcome.clicked[rank] { counts[rank] += 1 }
                if model.kind == .cascade { XCTAssertLessThanOrEqual(outcome.clicks, 1) }
            }
            for (count, p) in zip(counts, model.clickProbabilities(attractions: attractions)) {
                XCTAssertEqual(Double(count) / Double(sessions), p, accuracy: 0.004)
            }
        }
    }

    func testAbandonedSessionsExamineNothing() {
        var random = SplitMix64(seed: 1)
        let outcome = ClickModel(noClickProbability: 1).simulate(attractions: [1, 1], random: &random)
        XCTAssertEqual(outcome, SessionOutcome(clicked: [false, false], examined: 0))
    }

    func testCascadeStopsAtTheFirstClick() {
        var random = SplitMix64(seed: 1)
        let outcome = ClickModel(kind: .cascade, noClickProbability: 0).simulate(attractions: [0, 1, 1], random: &random)
        XCTAssertEqual(outcome, SessionOutcome(clicked: [false, true, false], examined: 2))
    }
}
