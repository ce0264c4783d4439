/// Student's t distribution with `degreesOfFreedom` (> 0, not necessarily whole).
///
/// The CDF uses `P(|T| > |t|) = I_{ν/(ν+t²)}(ν/2, 1/2)` (Abramowitz & Stegun 26.7.1 / 26.5.27);
/// the quantile inverts the CDF by bisection.
public struct StudentTDistribution: Sendable {
    /// ν, the degrees of freedom.
    public let degreesOfFreedom: Double

    /// The distribution with `degreesOfFreedom` > 0.
    public init(degreesOfFreedom: Double) {
        precondition(degreesOfFreedom > 0, "degrees of freedom must be positive")
        self.degreesOfFreedom = degreesOfFreedom
    }

    /// `P(|T| >= |t|)`: the two-sided p-value of the statistic `t`. NaN for a NaN `t`.
    public func twoSidedPValue(_ t: Double) -> Double {
        if t.isNaN { return .nan }
        if t.isInfinite { return 0 }
        let nu = degreesOfFreedom
        return IncompleteBeta.regularized(x: nu / (nu + t * t), a: nu / 2, b: 0.5)
    }

    /// `P(T <= t)`.
    public func cdf(_ t: Double) -> Double {
        let tail = twoSidedPValue(t) / 2
        return t > 0 ? 1 - tail : tail
    }

    /// The `t` with `cdf(t) == probability`, for `0 < probability < 1` (to about 1e-12).
    public func quantile(_ probability: Double) -> Double {
        precondition(probability > 0 && probability < 1, "probability must be in (0, 1)")
        var high = 1.0
        while cdf(high) < probability { high *= 2 }
        var low = -1.0
        while cdf(low) > probability { low *= 2 }
        while high - low > 1e-12 * max(1, abs(low) + abs(high)) {
            let mid = (low + high) / 2
            if cdf(mid) < probability { low = mid } else { high = mid }
        }
        return (low + high) / 2
    }
}
