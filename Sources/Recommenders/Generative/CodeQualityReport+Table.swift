import Evaluation
import Foundation
import SemanticIDs

public extension CodeQualityReport {
    /// The code sets side by side: one column per code set, one row per measure (items, codebook
    /// use and entropy per level, collisions, reconstruction error, neighbourhood preservation, fit time).
    static func table(_ reports: [CodeQualityReport]) -> MarkdownTable {
        let maxLevels = reports.map(\.levels.count).max() ?? 0
        var rows: [[String]] = [["items"] + reports.map { MarkdownTable.grouped($0.items) },
                                ["codebook sizes"] + reports.map { $0.levels.map { String($0.codebookSize) }.joined(separator: " x ") }]
        for level in 0..<maxLevels {
            rows.append(["level \(level + 1) usage / entropy"] + reports.map { report in
                guard level < report.levels.count else { return "–" }
                let usage = report.levels[level]
                return "\(usage.usedCodes) (\(MarkdownTable.decimal(usage.usage * 100, digits: 1))%) / \(MarkdownTable.decimal(usage.normalizedEntropy, digits: 3))"
            })
        }
        rows.append(["collision rate before de-duplication"] + reports.map { MarkdownTable.decimal($0.collisionRateBeforeDeduplication, digits: 4) })
        rows.append(["largest group sharing a code"] + reports.map { String($0.largestCollisionGroup) })
        rows.append(["collision rate by prefix depth"] + reports.map { $0.collisionRateByDepth.map { MarkdownTable.decimal($0, digits: 4) }.joined(separator: ", ") })
        rows.append(["unique"] + reports.map { $0.isUnique ? "yes" : "no" })
        rows.append(["relative reconstruction error"] + reports.map { MarkdownTable.decimal($0.relativeReconstructionError, digits: 4) })
        for depth in 1...2 {
            rows.append(["neighbours sharing \(depth == 1 ? "code 1" : "codes 1-2") (chance)"] + reports.map { report in
                guard let row = report.neighbourhood.first(where: { $0.depth == depth }) else { return "–" }
                return "\(MarkdownTable.decimal(row.share, digits: 3)) (\(MarkdownTable.decimal(row.chance, digits: 4)))"
            })
        }
        rows.append(["fit time"] + reports.map { report in report.fitSeconds.map { String(format: $0 < 10 ? "%.2f s" : "%.1f s", $0) } ?? "–" })
        return MarkdownTable(header: ["measure"] + reports.map(\.name), rightAligned: Set(1...max(reports.count, 1)), rows: rows)
    }
}
