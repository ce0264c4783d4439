import Foundation

extension EvaluationReport {
    /// The cutoffs K found in `testMetrics` / `validationMetrics` keys (`"NDCG@K"`), ascending.
    public var cutoffs: [Int] {
        Set((Array(testMetrics.keys) + Array(validationMetrics.keys)).compactMap { key -> Int? in
            guard key.hasPrefix("NDCG@") else { return nil }
            return Int(key.dropFirst("NDCG@".count))
        }).sorted()
    }

    /// The report as markdown: configuration, validation and test metrics for every cutoff, test
    /// coverage, test metrics per history-length bucket and per target-popularity bucket, the grid
    /// tried and the timings.
    public func markdown() -> String {
        let createdAt = ISO8601DateFormatter().string(from: self.createdAt)
        let counts = self.counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        return """
        # \(model) on \(dataset) (\(protocolName))

        Created \(createdAt)\(counts.isEmpty ? "" : "; \(counts)").

        ## Configuration

        \(configurationTable().rendered())
        ## Metrics

        \(metricsTable().rendered())
        \(seedsSection())## Test metrics by history length

        \(bucketTable().rendered())
        \(targetPopularitySection())## Configurations tried (validation)

        \(search.map { $0 + ".\n\n" } ?? "")\(gridTable().rendered())
        ## Timings (seconds)

        \(timingTable().rendered())
        """
    }

    private func configurationTable() -> MarkdownTable {
        MarkdownTable(header: ["parameter", "value"],
                      rows: config.sorted { $0.key < $1.key }.map { [$0.key, $0.value] })
    }

    private func metricsTable() -> MarkdownTable {
        var table = MarkdownTable(header: ["metric", "validation", "test"], rightAligned: [1, 2])
        let keys = cutoffs.flatMap { [MetricKey.hitRate(at: $0), MetricKey.recall(at: $0), MetricKey.ndcg(at: $0)] }
            + [MetricKey.mrr]
        table.rows = keys.map { [$0, MarkdownTable.metric(validationMetrics[$0]), MarkdownTable.metric(testMetrics[$0])] }
        table.rows += cutoffs.map(MetricKey.coverage(at:)).map { [$0, "–", MarkdownTable.metric(testCoverage[$0])] }
        return table
    }

    /// Each seed's validation and test NDCG@10 and HR@10, with mean and standard deviation; empty
    /// for a single fit.
    private func seedsSection() -> String {
        guard let runs = seedRuns, runs.count > 1 else { return "" }
        let keys = [MetricKey.ndcg(at: 10), MetricKey.hitRate(at: 10)]
        var table = MarkdownTable(header: ["seed", "validation NDCG@10"] + keys.map { "test " + $0 },
                                  rightAligned: Set(1...keys.count + 1))
        table.rows = runs.map { run in
            ["\(run.seed)", MarkdownTable.metric(run.validationMetrics[keys[0]])]
                + keys.map { MarkdownTable.metric(run.testMetrics[$0]) }
        }
        table.rows.append(["mean ± sd", ""] + keys.map { key in
            seedSpread(metric: key).map { MarkdownTable.metric($0.mean) + " ± " + MarkdownTable.metric($0.standardDeviation) } ?? "–"
        })
        return "## Seeds\n\n" + table.rendered() + "\n"
    }

    private func bucketTable() -> MarkdownTable {
        let keys = [MetricKey.hitRate(at: 10), MetricKey.ndcg(at: 10), MetricKey.mrr]
        var table = MarkdownTable(header: ["history length", "users"] + keys, rightAligned: Set(1...keys.count + 1))
        table.rows = testBuckets.map { bucket in
            [bucket.label, "\(bucket.userCount)"] + keys.map { MarkdownTable.metric(bucket.metrics[$0]) }
        }
        return table
    }

    /// Test metrics by the target's interactions in the fit data; empty without them.
    private func targetPopularitySection() -> String {
        guard let buckets = testTargetPopularity, !buckets.isEmpty else { return "" }
        let keys = [MetricKey.hitRate(at: 10), MetricKey.ndcg(at: 10), MetricKey.mrr]
        var table = MarkdownTable(header: ["target interactions", "users"] + keys, rightAligned: Set(1...keys.count + 1))
        table.rows = buckets.map { bucket in
            [bucket.label, "\(bucket.userCount)"] + keys.map { MarkdownTable.metric(bucket.metrics[$0]) }
        }
        return "## Test metrics by target popularity\n\n" + table.rendered() + "\n"
    }

    /// Every point tried, best validation NDCG@10 first; the epochs and note columns only when
    /// some point has them (epoch-trained models, extended grids).
    private func gridTable() -> MarkdownTable {
        let keys = [MetricKey.ndcg(at: 10), MetricKey.hitRate(at: 10), MetricKey.mrr]
        let showsEpochs = grid.contains { $0.epochs != nil }
        let showsNotes = grid.contains { $0.note != nil }
        var table = MarkdownTable(header: ["configuration"] + keys + (showsEpochs ? ["epochs"] : []) + ["chosen"]
                                      + (showsNotes ? ["note"] : []),
                                  rightAligned: Set(1...keys.count + (showsEpochs ? 1 : 0)))
        table.rows = grid
            .sorted { ($0.validationMetrics[keys[0]] ?? -.infinity) > ($1.validationMetrics[keys[0]] ?? -.infinity) }
            .map { point in
                [MarkdownTable.config(point.config)] + keys.map { MarkdownTable.metric(point.validationMetrics[$0]) }
                    + (showsEpochs ? [point.epochs.map(String.init) ?? "–"] : [])
                    + [point.config == config ? "yes" : ""] + (showsNotes ? [point.note ?? ""] : [])
            }
        return table
    }

    private func timingTable() -> MarkdownTable {
        let order = ["fit", "validation", "test", "total"]
        let stages = order.filter { timings[$0] != nil } + timings.keys.filter { !order.contains($0) }.sorted()
        return MarkdownTable(header: ["stage", "seconds"], rightAligned: [1],
                             rows: stages.map { [$0, MarkdownTable.seconds(timings[$0])] })
    }
}

public extension EvaluationReport {
    /// One row per report (`label` names it, its run name by default), one column per test metric.
    static func testMetricsTable(_ reports: [EvaluationReport], metrics: [String] = ["HR@10", "NDCG@10", "HR@50", "MRR"],
                                 label: (EvaluationReport) -> String = { $0.runName }) -> MarkdownTable {
        MarkdownTable(header: ["model"] + metrics, rightAligned: Set(metrics.indices.map { $0 + 1 }),
                      rows: reports.map { report in [label(report)] + metrics.map { MarkdownTable.metric(report.testMetrics[$0]) } })
    }
}
