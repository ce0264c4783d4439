import Foundation

/// A numeric hyperparameter whose grid the search extends when validation picks one of its ends:
/// the chosen configuration is tried again with the value one `factor` further out, as long as
/// that keeps winning and stays inside `range` (`ModelSelection`).
public struct SearchAxis: Sendable, Equatable {
    /// The configuration field, as `--set` names it (`"l2"`).
    public var name: String
    /// Geometric step past the edge: the next value is the edge value × `factor` (upwards) or
    /// ÷ `factor` (downwards); greater than 1.
    public var factor: Double
    /// Values never tried outside this range.
    public var range: ClosedRange<Double>
    /// Whether values are rounded to whole numbers (neighbour counts).
    public var isInteger: Bool

    /// An axis over `name` stepping by `factor` within `range`.
    public init(name: String, factor: Double, range: ClosedRange<Double>, isInteger: Bool = false) {
        precondition(factor > 1, "an axis steps by a factor greater than 1")
        self.name = name
        self.factor = factor
        self.range = range
        self.isInteger = isInteger
    }

    /// The value one step past `edge` (upwards when `upwards`), rounded to three significant
    /// digits (whole numbers on an integer axis), as `--set` would write it; nil when it would leave
    /// `range` or not move.
    public func step(from edge: Double, upwards: Bool) -> String? {
        var next = upwards ? edge * factor : edge / factor
        if isInteger {
            next = next.rounded()
        } else if next > 0 {
            let scale = pow(10, 2 - floor(log10(next)))
            next = (next * scale).rounded() / scale
        }
        guard range.contains(next), next != edge else { return nil }
        return isInteger ? String(Int(next)) : String(next)
    }
}
