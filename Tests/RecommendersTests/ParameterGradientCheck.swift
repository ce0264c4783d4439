import NeuralNet

/// Checks `parameter.gradient` (taken before the first call of `loss`) against finite differences
/// of `loss` with step `epsilon`, allowing for ReLU kinks: an element passes when
/// the analytic value matches the central difference or, where a kink lies within ε (the central
/// difference straddles it), one of the one-sided differences; a wrong gradient matches none.
/// Returns `max error / max(‖analytic‖∞, ‖central‖∞, 1e-3)` and the elements that needed a
/// one-sided difference.
func checkGradient(_ parameter: Parameter, epsilon: Float = 1e-3, tolerance: Double = 2e-2,
                   loss: () -> Double) -> (relativeError: Double, oneSided: Int) {
    let analytic = parameter.gradient
    let original = parameter.value
    defer { parameter.value = original }
    let center = loss()
    var central = [Double](repeating: 0, count: analytic.count)
    var oneSided = [Double](repeating: 0, count: analytic.count)
    for i in original.indices {
        parameter.value[i] = original[i] + epsilon
        let plus = loss()
        parameter.value[i] = original[i] - epsilon
        let minus = loss()
        parameter.value[i] = original[i]
        let a = Double(analytic[i])
        central[i] = (plus - minus) / (2 * Double(epsilon))
        oneSided[i] = min(abs(a - (plus - center) / Double(epsilon)), abs(a - (center - minus) / Double(epsilon)))
    }
    let scale = max(1e-3, analytic.map { abs(Double($0)) }.max() ?? 0, central.map(abs).max() ?? 0)
    var worst = 0.0
    var kinks = 0
    for i in original.indices {
        let error = abs(Double(analytic[i]) - central[i])
        if error <= tolerance * scale {
            worst = max(worst, error)
        } else {
            kinks += 1
            worst = max(worst, min(error, oneSided[i]))
        }
    }
    return (worst / scale, kinks)
}
