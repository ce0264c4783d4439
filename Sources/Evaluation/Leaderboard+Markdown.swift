extension Leaderboard {
    /// The leaderboard as a markdown table: rank, model, NDCG@10 ± CI half-width, HR@10, MRR,
    /// Coverage@10, fit seconds, and the paired-test p-value against the best model; with a
    /// "seeds" column (count and standard deviation of NDCG@10 over seeds) when a row was fit with
    /// several seeds.
    public func markdown() -> String {
        let percent = Int((confidence * 100).rounded())
        let showsSeeds = entries.contains { $0.seeds != nil }
        var table = MarkdownTable(
            header: ["#", "model", "NDCG@10 (± \(percent)% CI)", "HR@10", "MRR", "Coverage@10", "fit (s)", "p vs best"]
                + (showsSeeds ? ["seeds (sd of NDCG@10)"] : []),
            rightAligned: [0, 2, 3, 4, 5, 6, 7])
        table.rows = entries.enumerated().map { index, entry in
            let halfWidth = entry.ndcgHalfWidth.map { " ± " + MarkdownTable.metric($0) } ?? ""
            return ["\(index + 1)", entry.model, MarkdownTable.metric(entry.ndcg) + halfWidth,
                    MarkdownTable.metric(entry.hitRate), MarkdownTable.metric(entry.mrr),
                    MarkdownTable.metric(entry.coverage), MarkdownTable.seconds(entry.fitSeconds),
                    index == 0 ? "best" : MarkdownTable.pValue(entry.pValueAgainstBest)]
                + (showsSeeds ? [entry.seeds.map { "\($0.count) (sd \(MarkdownTable.metric($0.standardDeviation)))" } ?? "1"] : [])
        }
        return "## Leaderboard: \(dataset) (test)\n\n" + table.rendered()
    }
}
