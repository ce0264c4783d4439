import Foundation

/// A GitHub-flavoured markdown table: a header row, an alignment row, then one line per row.
/// Pipes inside cells are escaped. Numeric columns (`rightAligned`) are right-aligned.
///
/// The static formatters are the one place numbers are turned into table cells and report text,
/// for the reports here, the benchmarks, the notebooks and the command-line tool.
public struct MarkdownTable: Sendable {
    /// Column titles, left to right.
    public var header: [String]
    /// Indices (0-based, into `header`) of the columns to right-align; the others are left-aligned.
    public var rightAligned: Set<Int>
    /// Cells, one array per row, each as long as `header`; written as given (pipes escaped).
    public var rows: [[String]]

    /// A table with the given column titles, right-aligned columns and rows.
    public init(header: [String], rightAligned: Set<Int> = [], rows: [[String]] = []) {
        self.header = header
        self.rightAligned = rightAligned
        self.rows = rows
    }

    /// The table as markdown lines, each ending in `\n`.
    public func rendered() -> String {
        let alignment = header.indices.map { rightAligned.contains($0) ? "---:" : "---" }
        return ([header, alignment] + rows)
            .map { "| " + $0.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n" }
            .joined()
    }

    /// `value` with `digits` decimals (`decimal(0.12345, digits: 2)` is "0.12"), or "–" when missing
    /// or not finite.
    public static func decimal(_ value: Double?, digits: Int) -> String {
        guard let value, value.isFinite else { return "–" }
        return String(format: "%.\(max(0, digits))f", value)
    }

    /// A metric value with 4 decimals, or "–" when missing or not finite.
    public static func metric(_ value: Double?) -> String {
        decimal(value, digits: 4)
    }

    /// Seconds with 2 decimals (no unit), or "–" when missing or not finite.
    public static func seconds(_ value: Double?) -> String {
        decimal(value, digits: 2)
    }

    /// A p-value: "<0.001" below 0.001, else 3 significant digits; "–" when missing or not finite.
    public static func pValue(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        return value < 0.001 ? "<0.001" : String(format: "%.3g", value)
    }

    /// A configuration as `key=value` pairs in key order, or "(defaults)" when empty.
    public static func config(_ config: [String: String]) -> String {
        guard !config.isEmpty else { return "(defaults)" }
        return config.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
    }

    /// An integer with a comma every three digits: `1234567` -> "1,234,567", `-1000` -> "-1,000".
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = value < 0 ? "-" : ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }
}
