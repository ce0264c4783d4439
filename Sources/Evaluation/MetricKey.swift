/// The string keys under which metrics are stored in results, reports and JSON files.
///
/// `"HR@10"`, `"Recall@10"`, `"NDCG@10"`, `"MRR"`, `"Coverage@10"`: the same spelling everywhere, so
/// the leaderboard, the notebooks and users' scripts can read any report.
public enum MetricKey {
    /// Hit rate at `k`: `"HR@k"`.
    public static func hitRate(at k: Int) -> String { "HR@\(k)" }
    /// Recall at `k`: `"Recall@k"`.
    public static func recall(at k: Int) -> String { "Recall@\(k)" }
    /// Normalised discounted cumulative gain at `k`: `"NDCG@k"`.
    public static func ndcg(at k: Int) -> String { "NDCG@\(k)" }
    /// Catalogue coverage at `k`: `"Coverage@k"`.
    public static func coverage(at k: Int) -> String { "Coverage@\(k)" }
    /// Mean reciprocal rank of the best-ranked target: `"MRR"`.
    public static let mrr = "MRR"

    /// The per-case metric keys for `cutoffs`, in the order `RankingMetrics.values` fills them:
    /// for each cutoff `HR@k`, `Recall@k`, `NDCG@k`, then `MRR`.
    public static func caseMetrics(cutoffs: [Int]) -> [String] {
        cutoffs.flatMap { [hitRate(at: $0), recall(at: $0), ndcg(at: $0)] } + [mrr]
    }
}
