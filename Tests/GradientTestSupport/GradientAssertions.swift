import NeuralNet
import SeededRandom
import XCTest

// The gradient-check assertions the layer tests of NeuralNet and ItemLLM share.

/// The probe every layer gradient test differentiates (`GradientCheck.LinearProbe`).
public typealias LinearProbe = GradientCheck.LinearProbe

/// `count` values from N(0, std²).
public func randomValues(_ count: Int, seed: UInt64, std: Float = 1) -> [Float] {
    var random = SplitMix64(seed: seed)
    return random.normals(count: count, std: std)
}

/// Central differences over every element of `values` (normwise relative error below `tolerance`).
public func assertGradient(_ label: String, values: [Float], analytic: [Float], epsilon: Float = 1e-2,
                    tolerance: Double = 2e-2, loss: ([Float]) -> Double, file: StaticString = #filePath, line: UInt = #line) {
    var values = values
    let result = GradientCheck.compare(values: &values, analytic: analytic, epsilon: epsilon, loss: loss)
    XCTAssertLessThan(result.maxRelativeError, tolerance, "\(label): max abs error \(result.maxAbsoluteError)",
                      file: file, line: line)
}

/// Central differences over every element of every parameter.
public func assertParameterGradients(_ parameters: [Parameter], epsilon: Float = 1e-2, tolerance: Double = 2e-2,
                              loss: () -> Double, file: StaticString = #filePath, line: UInt = #line) {
    for parameter in parameters {
        let result = GradientCheck.compare(parameter: parameter, epsilon: epsilon, loss: loss)
        XCTAssertLessThan(result.maxRelativeError, tolerance,
                          "\(parameter.name): max abs error \(result.maxAbsoluteError)", file: file, line: line)
    }
}

/// Central differences on a few entries of each parameter (its largest-gradient entry and
/// `samples - 1` random ones): max |analytic - numerical| over those entries, relative to the
/// largest of them and `floor`, must stay below `tolerance`. For parameters too large to check whole.
public func assertSampledParameterGradients(_ parameters: [Parameter], samples: Int = 3, epsilon: Float = 1e-2,
                                     tolerance: Double = 3e-2, floor: Double = 1e-3, seed: UInt64 = 1,
                                     loss: () -> Double, file: StaticString = #filePath, line: UInt = #line) {
    var random = SplitMix64(seed: seed)
    for parameter in parameters {
        let analytic = parameter.gradient
        let largest = analytic.indices.max { abs(analytic[$0]) < abs(analytic[$1]) }!
        let indices = [largest] + (1..<samples).map { _ in random.nextIndex(below: parameter.count) }
        let result = GradientCheck.compare(parameter: parameter, indices: indices, epsilon: epsilon, floor: floor, loss: loss)
        XCTAssertLessThan(result.maxRelativeError, tolerance, "\(parameter.name): max abs error \(result.maxAbsoluteError)",
                          file: file, line: line)
    }
}
