import Foundation

/// Top-K metrics of one query, computed from the list positions of its targets.
///
/// A target's list position is where it would sit in the full ranking of the candidates (1 = first),
/// see `TargetRanking.listPositions(fromRanks:)`. Relevance is binary; every target is relevant.
/// Definitions follow RecBole (Zhao et al., "RecBole", CIKM 2021) and Järvelin & Kekäläinen,
/// "Cumulated gain-based evaluation of IR techniques", TOIS 2002, for NDCG.
public enum RankingMetrics {
    /// HR@K: 1 when at least one target is within the top `k`, else 0.
    ///
    /// - Parameter positions: the targets' list positions, `[targets]`, any order.
    public static func hitRate(positions: [Int], k: Int) -> Double {
        positions.contains { $0 <= k } ? 1 : 0
    }

    /// Recall@K: targets within the top `k`, divided by `min(k, positions.count)`.
    ///
    /// The denominator is the most hits a top-`k` list can hold, so a perfect ranking scores 1 even
    /// when there are more targets than `k`; with one target Recall@K equals HR@K.
    public static func recall(positions: [Int], k: Int) -> Double {
        guard !positions.isEmpty else { return 0 }
        let hits = positions.lazy.filter { $0 <= k }.count
        return Double(hits) / Double(min(k, positions.count))
    }

    /// NDCG@K with binary relevance: `Σ_{targets at p ≤ k} 1/log2(p + 1)` divided by the ideal DCG
    /// `Σ_{i=1}^{min(k, targets)} 1/log2(i + 1)`. Rank 1 gives 1, rank 3 gives 1/log2(4) = 0.5.
    public static func ndcg(positions: [Int], k: Int) -> Double {
        guard !positions.isEmpty else { return 0 }
        let dcg = positions.lazy.filter { $0 <= k }.reduce(0.0) { $0 + discount(at: $1) }
        let idealCount = min(k, positions.count)
        let idealDCG = (1...idealCount).reduce(0.0) { $0 + discount(at: $1) }
        return dcg / idealDCG
    }

    /// Reciprocal rank of the best-ranked target: `1 / min(positions)` (0 for no targets).
    public static func reciprocalRank(positions: [Int]) -> Double {
        guard let best = positions.min() else { return 0 }
        return 1 / Double(best)
    }

    /// Every per-case metric, laid out as `MetricKey.caseMetrics(cutoffs:)`:
    /// `[HR@k0, Recall@k0, NDCG@k0, HR@k1, ..., MRR]`.
    public static func values(positions: [Int], cutoffs: [Int]) -> [Double] {
        cutoffs.flatMap {
            [hitRate(positions: positions, k: $0), recall(positions: positions, k: $0), ndcg(positions: positions, k: $0)]
        } + [reciprocalRank(positions: positions)]
    }

    /// The DCG gain of a relevant item at list position `position` (1-based): `1 / log2(position + 1)`.
    static func discount(at position: Int) -> Double { 1 / log2(Double(position) + 1) }
}
