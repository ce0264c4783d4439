import Foundation

/// The standard normal distribution, for the power analysis's normal approximation.
public enum NormalDistribution {
    /// `P(Z <= z)`, from the complementary error function.
    public static func cdf(_ z: Double) -> Double {
        0.5 * erfc(-z / 2.0.squareRoot())
    }

    /// The `z` with `cdf(z) == probability`, for `0 < probability < 1`, by bisection (to about 1e-12).
    public static func quantile(_ probability: Double) -> Double {
        precondition(probability > 0 && probability < 1, "probability must be in (0, 1)")
        var (low, high) = (-40.0, 40.0)
        while high - low > 1e-12 {
            let mid = (low + high) / 2
            if cdf(mid) < probability { low = mid } else { high = mid }
        }
        return (low + high) / 2
    }
}
