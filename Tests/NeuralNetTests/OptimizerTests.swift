import NeuralNet
import XCTest

/// AdamW against values worked out by hand, the learning-rate schedules, and clipping.
final class OptimizerTests: XCTestCase {
    func testAdamWMatchesHandComputedSteps() {
        let decayed = Parameter(name: "w", shape: [1], value: [1], decays: true)
        let plain = Parameter(name: "b", shape: [1], value: [1], decays: false)
        var optimizer = AdamW(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01)
        // Step 1, g = 0.5: m = 0.05, v = 0.00025, m̂ = 0.5, v̂ = 0.25, update 0.1·0.5/0.5 = 0.1;
        // decay multiplies by 1 - 0.1·0.01 first: 0.999 - 0.1 = 0.899.
        decayed.gradient = [0.5]
        plain.gradient = [0.5]
        optimizer.step([decayed, plain], learningRate: 0.1)
        XCTAssertEqual(decayed.value[0], 0.899, accuracy: 1e-6)
        XCTAssertEqual(plain.value[0], 0.9, accuracy: 1e-6)
        // Step 2, same gradient: m = 0.095, v = 0.00049975, m̂ = 0.5, v̂ = 0.25, update 0.1 again:
        // 0.899·0.999 - 0.1 = 0.798101.
        optimizer.step([decayed, plain], learningRate: 0.1)
        XCTAssertEqual(decayed.value[0], 0.798_101, accuracy: 1e-6)
        XCTAssertEqual(plain.value[0], 0.8, accuracy: 1e-6)
        XCTAssertEqual(optimizer.stepCount, 2)
    }

    func testSchedules() {
        let cosine = LearningRateSchedule(peak: 1, warmupSteps: 10, totalSteps: 110, decay: .cosine, finalFraction: 0.1)
        XCTAssertEqual(cosine.rate(atStep: 0), 0.1, accuracy: 1e-6)
        XCTAssertEqual(cosine.rate(atStep: 4), 0.5, accuracy: 1e-6)
        XCTAssertEqual(cosine.rate(atStep: 9), 1, accuracy: 1e-6)
        XCTAssertEqual(cosine.rate(atStep: 10), 1, accuracy: 1e-6)
        XCTAssertEqual(cosine.rate(atStep: 60), 0.55, accuracy: 1e-6)
        XCTAssertEqual(cosine.rate(atStep: 110), 0.1, accuracy: 1e-6)
        XCTAssertEqual(cosine.rate(atStep: 500), 0.1, accuracy: 1e-6)
        let linear = LearningRateSchedule(peak: 2, totalSteps: 100, decay: .linear)
        XCTAssertEqual(linear.rate(atStep: 0), 2, accuracy: 1e-6)
        XCTAssertEqual(linear.rate(atStep: 25), 1.5, accuracy: 1e-6)
        XCTAssertEqual(linear.rate(atStep: 100), 0, accuracy: 1e-6)
        XCTAssertEqual(LearningRateSchedule(peak: 0.3).rate(atStep: 1000), 0.3)
    }

    func testClippingByGlobalNorm() {
        let a = Parameter(name: "a", shape: [1], value: [0], decays: true)
        let b = Parameter(name: "b", shape: [1], value: [0], decays: true)
        a.gradient = [3]
        b.gradient = [4]
        XCTAssertEqual(GradientClipping.clipGlobalNorm([a, b], maxNorm: 1), 5, accuracy: 1e-6)
        XCTAssertEqual(a.gradient[0], 0.6, accuracy: 1e-6)
        XCTAssertEqual(b.gradient[0], 0.8, accuracy: 1e-6)
        XCTAssertEqual(GradientClipping.clipGlobalNorm([a, b], maxNorm: 2), 1, accuracy: 1e-6)
        XCTAssertEqual(a.gradient[0], 0.6, accuracy: 1e-6)
    }
}
