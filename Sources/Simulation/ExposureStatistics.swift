/// How a ranker spreads exposure over the catalogue.
public enum ExposureStatistics {
    /// The Gini coefficient of `exposures` (one count per catalogue item, zeros included): 0 when
    /// every item is shown equally often, `1 − 1/n` when one item takes every impression.
    /// With `x` sorted ascending, `G = Σ_i (2i − n − 1) x_i / (n Σ x)` (i from 1); 0 for no exposures.
    public static func gini(_ exposures: [Int]) -> Double {
        let sorted = exposures.sorted()
        let total = sorted.reduce(0, +)
        guard total > 0 else { return 0 }
        let n = sorted.count
        let weighted = sorted.enumerated().reduce(0.0) { $0 + Double(2 * ($1.offset + 1) - n - 1) * Double($1.element) }
        return weighted / (Double(n) * Double(total))
    }

    /// Share of catalogue items shown at least once.
    public static func coverage(_ exposures: [Int]) -> Double {
        exposures.isEmpty ? 0 : Double(exposures.lazy.filter { $0 > 0 }.count) / Double(exposures.count)
    }
}
