import SeededRandom

/// Finite-difference gradient checking: compares an analytic gradient with central differences
/// `(f(x + ε) - f(x - ε)) / 2ε`, element by element.
///
/// The relative error is normwise, `max |analytic - numerical| / max(‖analytic‖∞, ‖numerical‖∞, floor)`:
/// with Float32 layers the central difference carries rounding noise of about 1e-4 to 1e-3 in
/// absolute terms, which would swamp an elementwise ratio wherever a true gradient is zero (the
/// key bias of attention, for one, has an exactly zero gradient).
public enum GradientCheck {
    /// How far an analytic gradient is from the numerical one.
    public struct Result: Sendable {
        /// `maxAbsoluteError / max(‖analytic‖∞, ‖numerical‖∞, floor)`.
        public var maxRelativeError: Double
        /// Largest `|analytic - numerical|`.
        public var maxAbsoluteError: Double
        /// Elements compared.
        public var count: Int
    }

    /// Checks `analytic` (dLoss/dvalues) against central differences of `loss` over `values`.
    ///
    /// - Parameters:
    ///   - values: the inputs; each element is perturbed by ±`epsilon` in turn and restored.
    ///   - analytic: the gradient to check, `[values.count]`.
    ///   - indices: the elements to compare (all when nil), for tensors too large to check whole;
    ///     the norms of the relative error are then taken over these elements.
    ///   - epsilon: the perturbation (about 1e-2 to 1e-3 for Float32 computations).
    ///   - floor: smallest denominator of the relative error, so a near-zero gradient compares absolutely.
    ///   - loss: the scalar function of `values`; accumulate it in Double.
    public static func compare(values: inout [Float], analytic: [Float], indices: [Int]? = nil, epsilon: Float = 1e-2,
                               floor: Double = 1e-3, loss: ([Float]) -> Double) -> Result {
        precondition(values.count == analytic.count, "gradient has \(analytic.count) values for \(values.count) inputs")
        let checked = indices ?? Array(values.indices)
        var result = Result(maxRelativeError: 0, maxAbsoluteError: 0, count: checked.count)
        var largest = floor
        for i in checked {
            let original = values[i]
            values[i] = original + epsilon
            let plus = loss(values)
            values[i] = original - epsilon
            let minus = loss(values)
            values[i] = original
            let numerical = (plus - minus) / (2 * Double(epsilon))
            let difference = abs(Double(analytic[i]) - numerical)
            result.maxAbsoluteError = max(result.maxAbsoluteError, difference)
            largest = max(largest, abs(Double(analytic[i])), abs(numerical))
        }
        result.maxRelativeError = result.maxAbsoluteError / largest
        return result
    }

    /// Checks `parameter.gradient` against central differences of `loss` over `parameter.value`
    /// (over `indices` only when given).
    public static func compare(parameter: Parameter, indices: [Int]? = nil, epsilon: Float = 1e-2, floor: Double = 1e-3,
                               loss: () -> Double) -> Result {
        var values = parameter.value
        let analytic = parameter.gradient
        let original = parameter.value
        defer { parameter.value = original }
        return compare(values: &values, analytic: analytic, indices: indices, epsilon: epsilon, floor: floor) { perturbed in
            parameter.value = perturbed
            return loss()
        }
    }

    /// The scalar a layer's gradient check differentiates: `L(y) = Σ wᵢ yᵢ` with fixed random
    /// weights `w` ~ N(0, 1), accumulated in Double, so dL/dy = w and a layer's `backward(w)` is dL/dx.
    public struct LinearProbe: Sendable {
        /// `w`, one weight per output.
        public let weights: [Float]

        /// A probe over `count` outputs with weights drawn from `seed`.
        public init(count: Int, seed: UInt64) {
            var random = SplitMix64(seed: seed)
            weights = random.normals(count: count, std: 1)
        }

        /// `Σ wᵢ yᵢ` in Double.
        public func loss(_ y: [Float]) -> Double {
            precondition(y.count == weights.count, "probe of \(weights.count) weights applied to \(y.count) outputs")
            return zip(y, weights).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
    }
}
