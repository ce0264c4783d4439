import Foundation

/// What happened in one simulated session on a slate: which positions were clicked and how many
/// items the user examined.
public struct SessionOutcome: Equatable, Sendable {
    /// `clicked[r]`: whether the item at rank `r` (0-based) was clicked.
    public var clicked: [Bool]
    /// Number of items the user examined (0 for an abandoned session).
    public var examined: Int

    /// An outcome with the given clicks and examination count.
    public init(clicked: [Bool], examined: Int) {
        self.clicked = clicked
        self.examined = examined
    }

    /// Number of clicks.
    public var clicks: Int { clicked.lazy.filter { $0 }.count }

    /// The session's value of `metric`.
    ///
    /// - `.clickThroughRate`: clicks / slate size.
    /// - `.hit`: 1 when anything was clicked, else 0.
    /// - `.clickNDCG`: `Σ_clicked 1/log2(r + 2)` over 0-based ranks `r`, divided by the same sum
    ///   with every position clicked: 1 when everything was clicked, higher when clicks are near the top.
    /// - `.itemsPerSession`: items clicked in the session.
    /// - `.examinedItems`: items examined in the session.
    public func value(of metric: SessionMetric) -> Double {
        switch metric {
        case .clickThroughRate:
            return clicked.isEmpty ? 0 : Double(clicks) / Double(clicked.count)
        case .hit:
            return clicks > 0 ? 1 : 0
        case .clickNDCG:
            let gain = { (rank: Int) in 1 / log2(Double(rank) + 2) }
            let ideal = clicked.indices.reduce(0) { $0 + gain($1) }
            let dcg = clicked.indices.reduce(0) { $0 + (clicked[$1] ? gain($1) : 0) }
            return ideal > 0 ? dcg / ideal : 0
        case .itemsPerSession:
            return Double(clicks)
        case .examinedItems:
            return Double(examined)
        }
    }
}

/// The per-session metrics of an A/B arm; a user's value is the mean over their sessions.
public enum SessionMetric: String, Codable, CaseIterable, Sendable {
    /// Clicks per shown item.
    case clickThroughRate = "CTR"
    /// Share of sessions with at least one click.
    case hit = "hits"
    /// NDCG of the clicked positions (see `SessionOutcome.value(of:)`).
    case clickNDCG = "clickNDCG"
    /// Items clicked per session.
    case itemsPerSession
    /// Items examined per session (moves with the ranker under cascade, not under PBM).
    case examinedItems = "examined"
}
