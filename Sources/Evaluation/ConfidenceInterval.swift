/// A two-sided confidence interval `[lower, upper]` at level `confidence` (0.95 for 95%).
public struct ConfidenceInterval: Codable, Equatable, Sendable {
    /// Lower end.
    public var lower: Double
    /// Upper end.
    public var upper: Double
    /// Coverage level, in (0, 1).
    public var confidence: Double

    /// The interval `[lower, upper]` at level `confidence`.
    public init(lower: Double, upper: Double, confidence: Double) {
        self.lower = lower
        self.upper = upper
        self.confidence = confidence
    }

    /// Half the width: the "±" of a symmetric interval (an error bar).
    public var halfWidth: Double { (upper - lower) / 2 }

    /// Whether `value` lies inside the interval (ends included).
    public func contains(_ value: Double) -> Bool { lower <= value && value <= upper }
}
