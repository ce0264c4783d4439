import Foundation

/// A GitHub-flavoured markdown table: a header row, an alignment row, then one line per row.
/// Pipes inside cells are escaped. Numeric columns (`rightAligned`) are right-aligned.
struct MarkdownTable {
    var header: [String]
    var rightAligned: Set<Int> = []
    var rows: [[String]] = []

    /// The table as markdown lines, each ending in `\n`.
    func rendered() -> String {
        let alignment = header.indices.map { rightAligned.contains($0) ? "---:" : "---" }
        return ([header, alignment] + rows)
            .map { "| " + $0.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n" }
            .joined()
    }

    /// A metric value with 4 decimals, or "–" when missing or not finite.
    static func metric(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        return String(format: "%.4f", value)
    }

    /// Seconds with 2 decimals, or "–" when missing.
    static func seconds(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        return String(format: "%.2f", value)
    }

    /// A p-value: "<0.001" below 0.001, else 3 significant digits; "–" when missing.
    static func pValue(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        return value < 0.001 ? "<0.001" : String(format: "%.3g", value)
    }

    /// A configuration as `key=value` pairs in key order, or "(defaults)" when empty.
    static func config(_ config: [String: String]) -> String {
        config.isEmpty ? "(defaults)" : config.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
    }
}
