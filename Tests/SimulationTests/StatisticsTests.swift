import Evaluation
import SeededRandom
import Simulation
import XCTest

/// Welch's test, the normal distribution, the power formula and the bootstrap against reference values
/// (scipy 1.17: `ttest_ind(equal_var=False)`, `norm.ppf`).
final class StatisticsTests: XCTestCase {
    private let a = [0.0, 1, 1, 0, 1, 1, 1, 0], b = [0.0, 0, 1, 0, 0, 0, 1, 0, 0, 0]

    func testWelchMatchesScipy() {
        let test = WelchTTest(a, b)
        XCTAssertEqual(test.difference, 0.625 - 0.2, accuracy: 1e-12)
        XCTAssertEqual(test.tStatistic, 1.877154268530274, accuracy: 1e-9)
        XCTAssertEqual(test.degreesOfFreedom, 13.456331041133318, accuracy: 1e-9)
        XCTAssertEqual(test.pValue, 0.0823460379837187, accuracy: 1e-7)
        XCTAssertEqual(test.confidenceInterval.lower, -0.0624407986744791, accuracy: 1e-7)
        XCTAssertEqual(test.confidenceInterval.upper, 0.9124407986744791, accuracy: 1e-7)
    }

    func testNormalQuantiles() {
        XCTAssertEqual(NormalDistribution.quantile(0.975), 1.959963984540054, accuracy: 1e-9)
        XCTAssertEqual(NormalDistribution.quantile(0.9), 1.2815515655446004, accuracy: 1e-9)
        XCTAssertEqual(NormalDistribution.cdf(0), 0.5, accuracy: 1e-15)
    }

    func testPowerFormulaByHand() {
        // n = ((1.959964 + 0.841621) · 1 / 0.1)² = 784.89 → 785 users for 80% power.
        let analysis = PowerAnalysis(effect: 0.1, standardDeviation: 1)
        XCTAssertEqual(analysis.usersNeeded(power: 0.8, alpha: 0.05), 785)
        XCTAssertEqual(analysis.power(users: 785), 0.8, accuracy: 1e-3)
        XCTAssertEqual(PowerAnalysis(effect: 0, standardDeviation: 1).power(users: 100), 0.05, accuracy: 1e-9)
        XCTAssertNil(PowerAnalysis(effect: 0, standardDeviation: 1).usersNeeded())
    }

    func testABPowerUsesBothArmsVariances() {
        // Arms of 4 and 5 values: σ² per total user = 2(σ_A² + σ_B²).
        let test = WelchTTest([0, 1, 0, 1], [0, 0, 1, 0, 0])
        let analysis = PowerAnalysis(abTest: test)
        let expected = 2 * (test.a.standardDeviation * test.a.standardDeviation + test.b.standardDeviation * test.b.standardDeviation)
        XCTAssertEqual(analysis.standardDeviation * analysis.standardDeviation, expected, accuracy: 1e-12)
        XCTAssertEqual(analysis.effect, 0.3, accuracy: 1e-12)
    }

    func testBootstrapIsSeededAndAgreesWithWelchRoughly() {
        let first = TwoSampleBootstrap(a, b, seed: 9), again = TwoSampleBootstrap(a, b, seed: 9)
        XCTAssertEqual(first.confidenceInterval, again.confidenceInterval)
        XCTAssertEqual(first.difference, 0.425, accuracy: 1e-12)
        XCTAssertEqual(first.confidenceInterval.lower, WelchTTest(a, b).confidenceInterval.lower, accuracy: 0.15)
    }

    func testSplitMix64KnownOutput() {
        var random = SplitMix64(seed: 0)
        XCTAssertEqual(random.next(), 0xE220_A839_7B1D_CDAF)
    }
}

/// The Wilson interval against values computed by hand.
final class WilsonIntervalTests: XCTestCase {
    func testWilsonIntervalMatchesHandComputedValues() {
        // 10 successes in 200 trials, z = 1.959964: centre (0.05 + z²/400) / (1 + z²/200) = 0.05848,
        // half-width z / (1 + z²/200) · sqrt(0.05·0.95/200 + z²/160000) = 0.03110.
        let interval = ConfidenceInterval.wilson(rate: 0.05, trials: 200)
        XCTAssertEqual(interval.lower, 0.02738, accuracy: 1e-4)
        XCTAssertEqual(interval.upper, 0.08958, accuracy: 1e-4)
        let none = ConfidenceInterval.wilson(rate: 0, trials: 50)
        XCTAssertEqual(none.lower, 0)
        XCTAssertEqual(none.upper, 0.07135, accuracy: 1e-4)
    }
}
