import NeuralNet
import SeededRandom
import XCTest

/// The probe every layer gradient test differentiates (`GradientCheck.LinearProbe`).
typealias LinearProbe = GradientCheck.LinearProbe

/// `count` values from N(0, std²).
func randomValues(_ count: Int, seed: UInt64, std: Float = 1) -> [Float] {
    var random = SplitMix64(seed: seed)
    return random.normals(count: count, std: std)
}

/// Central differences within Float32-appropriate tolerances (relative error 2e-2 with a 1e-3
/// floor, ε = 1e-2 unless given).
func assertGradient(_ label: String, values: [Float], analytic: [Float], epsilon: Float = 1e-2,
                    tolerance: Double = 2e-2, loss: ([Float]) -> Double, file: StaticString = #filePath, line: UInt = #line) {
    var values = values
    let result = GradientCheck.compare(values: &values, analytic: analytic, epsilon: epsilon, loss: loss)
    XCTAssertLessThan(result.maxRelativeError, tolerance, "\(label): max abs error \(result.maxAbsoluteError)",
                      file: file, line: line)
}

/// Checks every parameter's accumulated gradient against central differences of `loss`.
func assertParameterGradients(_ parameters: [Parameter], epsilon: Float = 1e-2, tolerance: Double = 2e-2,
                              loss: () -> Double, file: StaticString = #filePath, line: UInt = #line) {
    for parameter in parameters {
        let result = GradientCheck.compare(parameter: parameter, epsilon: epsilon, loss: loss)
        XCTAssertLessThan(result.maxRelativeError, tolerance,
                          "\(parameter.name): max abs error \(result.maxAbsoluteError)", file: file, line: line)
    }
}
