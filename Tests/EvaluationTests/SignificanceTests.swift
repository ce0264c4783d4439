import Evaluation
import SeededRandom
import XCTest

final class SignificanceTests: XCTestCase {
    func testIncompleteBetaKnownValues() {
        // I_0.5(2, 3) = (C(4,2) + C(4,3) + C(4,4)) / 2^4 = 11/16.
        XCTAssertEqual(IncompleteBeta.regularized(x: 0.5, a: 2, b: 3), 0.6875, accuracy: 1e-14)
        // I_x(a, 1) = x^a; I_x(1, b) = 1 - (1 - x)^b; I_x(1, 1) = x.
        XCTAssertEqual(IncompleteBeta.regularized(x: 0.3, a: 2.5, b: 1), pow(0.3, 2.5), accuracy: 1e-14)
        XCTAssertEqual(IncompleteBeta.regularized(x: 0.3, a: 1, b: 4.5), 1 - pow(0.7, 4.5), accuracy: 1e-14)
        XCTAssertEqual(IncompleteBeta.regularized(x: 0.37, a: 1, b: 1), 0.37, accuracy: 1e-14)
        // Reference values from scipy.special.betainc.
        XCTAssertEqual(IncompleteBeta.regularized(x: 0.2, a: 0.5, b: 0.5), 0.2951672353008665, accuracy: 1e-13)
        XCTAssertEqual(IncompleteBeta.regularized(x: 0.45, a: 30, b: 40), 0.6447480085585666, accuracy: 1e-12)
        XCTAssertEqual(IncompleteBeta.regularized(x: 0.999, a: 500, b: 0.5), 0.31731044730971725, accuracy: 1e-11)
        XCTAssertEqual(IncompleteBeta.regularized(x: 0, a: 2, b: 3), 0)
        XCTAssertEqual(IncompleteBeta.regularized(x: 1, a: 2, b: 3), 1)
    }

    func testIncompleteBetaSymmetry() {
        var random = SplitMix64(seed: 5)
        for _ in 0..<200 {
            let x = Double.random(in: 0.001..<0.999, using: &random)
            let a = Double.random(in: 0.1..<50, using: &random), b = Double.random(in: 0.1..<50, using: &random)
            let value = IncompleteBeta.regularized(x: x, a: a, b: b)
            XCTAssert(value >= 0 && value <= 1)
            XCTAssertEqual(value, 1 - IncompleteBeta.regularized(x: 1 - x, a: b, b: a), accuracy: 1e-12)
        }
    }

    func testStudentTPValuesAndQuantiles() {
        XCTAssertEqual(StudentTDistribution(degreesOfFreedom: 10).twoSidedPValue(2.0), 0.07338803477074037, accuracy: 1e-12)
        XCTAssertEqual(StudentTDistribution(degreesOfFreedom: 10).quantile(0.975), 2.228138851986274, accuracy: 1e-9)
        XCTAssertEqual(StudentTDistribution(degreesOfFreedom: 1).quantile(0.975), 12.706204736174694, accuracy: 1e-8)
        XCTAssertEqual(StudentTDistribution(degreesOfFreedom: 30).quantile(0.975), 2.0422724563012378, accuracy: 1e-9)
        XCTAssertEqual(StudentTDistribution(degreesOfFreedom: 100_000).quantile(0.975), 1.9599877075346095, accuracy: 1e-8)
        XCTAssertEqual(StudentTDistribution(degreesOfFreedom: 7).quantile(0.05), -1.8945786050900066, accuracy: 1e-9)
        XCTAssertEqual(StudentTDistribution(degreesOfFreedom: 200_000).twoSidedPValue(1.5), 0.13361598103184336, accuracy: 1e-9)
        XCTAssertEqual(StudentTDistribution(degreesOfFreedom: 5).cdf(0), 0.5, accuracy: 1e-15)
    }

    func testStudentTMatchesClosedFormsForOneAndTwoDegreesOfFreedom() {
        for t in stride(from: -20.0, through: 20, by: 0.37) {
            // ν = 1 is the Cauchy distribution; ν = 2 has F(t) = 1/2 + t / (2 sqrt(2 + t²)).
            XCTAssertEqual(StudentTDistribution(degreesOfFreedom: 1).cdf(t), 0.5 + atan(t) / .pi, accuracy: 1e-13)
            XCTAssertEqual(StudentTDistribution(degreesOfFreedom: 2).cdf(t), 0.5 + t / (2 * (2 + t * t).squareRoot()),
                           accuracy: 1e-13)
        }
    }

    func testPairedTTestByHand() {
        // Differences 1...5: mean 3, sd sqrt(2.5), se sqrt(0.5), t = 3 / sqrt(0.5), df 4.
        let test = PairedTTest([1, 2, 3, 4, 5], [0, 0, 0, 0, 0])
        XCTAssertEqual(test.difference.mean, 3)
        XCTAssertEqual(test.difference.standardDeviation, 2.5.squareRoot(), accuracy: 1e-14)
        XCTAssertEqual(test.tStatistic, 3 / 0.5.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(test.degreesOfFreedom, 4)
        XCTAssertEqual(test.pValue, 0.01323559956368269, accuracy: 1e-12)  // scipy
        // CI: 3 ± t_{0.975, 4} · sqrt(0.5), t_{0.975, 4} = 2.7764451051977934.
        XCTAssertEqual(test.confidenceInterval.halfWidth, 2.7764451051977934 * 0.5.squareRoot(), accuracy: 1e-9)
        XCTAssertEqual(test.confidenceInterval.lower + test.confidenceInterval.upper, 6, accuracy: 1e-12)
    }

    func testPairedTTestIsAntisymmetricAndHandlesEqualSamples() {
        let a = [0.3, 0.1, 0.8, 0.5, 0.4, 0.9], b = [0.2, 0.2, 0.5, 0.6, 0.1, 0.7]
        let forward = PairedTTest(a, b), backward = PairedTTest(b, a)
        XCTAssertEqual(forward.tStatistic, -backward.tStatistic, accuracy: 1e-12)
        XCTAssertEqual(forward.pValue, backward.pValue, accuracy: 1e-12)
        let same = PairedTTest(a, a)
        XCTAssertEqual(same.tStatistic, 0)
        XCTAssertEqual(same.pValue, 1)
        XCTAssertEqual(PairedTTest([1, 2, 3], [0, 1, 2]).pValue, 0)  // constant non-zero difference
    }

    func testMeanEstimate() {
        let estimate = MeanEstimate([2, 4, 4, 4, 5, 5, 7, 9])
        XCTAssertEqual(estimate.mean, 5)
        XCTAssertEqual(estimate.standardDeviation, (32.0 / 7).squareRoot(), accuracy: 1e-14)
        let critical = StudentTDistribution(degreesOfFreedom: 7).quantile(0.975)
        XCTAssertEqual(estimate.interval.halfWidth, critical * estimate.standardError, accuracy: 1e-12)
        XCTAssert(MeanEstimate([1.5]).interval.halfWidth.isNaN)
    }

    func testBootstrapIsReproducibleFromTheSeed() {
        var random = SplitMix64(seed: 9)
        let a = (0..<300).map { _ in Double.random(in: 0..<1, using: &random) }
        let b = a.map { $0 - 0.05 + Double.random(in: -0.2..<0.2, using: &random) }
        let first = PairedBootstrap(a, b, resamples: 500, seed: 1)
        let again = PairedBootstrap(a, b, resamples: 500, seed: 1)
        let other = PairedBootstrap(a, b, resamples: 500, seed: 2)
        XCTAssertEqual(first.confidenceInterval, again.confidenceInterval)
        XCTAssertEqual(first.pValue, again.pValue)
        XCTAssertNotEqual(first.confidenceInterval, other.confidenceInterval)
        XCTAssert(first.confidenceInterval.contains(first.meanDifference))
        XCTAssertEqual(first.resamples, 500)
        // On 300 cases the percentile interval is close to the t interval.
        let tTest = PairedTTest(a, b)
        XCTAssertEqual(first.confidenceInterval.lower, tTest.confidenceInterval.lower, accuracy: 0.006)
        XCTAssertEqual(first.confidenceInterval.upper, tTest.confidenceInterval.upper, accuracy: 0.006)
    }

    func testBootstrapOfAConstantDifference() {
        let bootstrap = PairedBootstrap([1, 2, 3, 4], [0.75, 1.75, 2.75, 3.75], resamples: 100, seed: 3)
        XCTAssertEqual(bootstrap.meanDifference, 0.25)
        XCTAssertEqual(bootstrap.confidenceInterval.lower, 0.25)
        XCTAssertEqual(bootstrap.confidenceInterval.upper, 0.25)
        XCTAssertEqual(bootstrap.pValue, 0)
        XCTAssertEqual(PairedBootstrap([1, 2], [1, 2], resamples: 50).pValue, 1)
    }
}
