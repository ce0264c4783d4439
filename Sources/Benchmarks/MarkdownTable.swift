import Foundation

/// A GitHub-flavoured markdown table (header, alignment row, one line per row); numeric columns
/// right-aligned. (Evaluation has the same type internally; see the report to the lead.)
struct MarkdownTable {
    /// Column titles.
    var header: [String]
    /// Indices of right-aligned columns.
    var rightAligned: Set<Int> = []
    /// Cells, one array per row, as many as `header`.
    var rows: [[String]] = []

    /// The table as markdown lines, each ending in `\n`.
    func rendered() -> String {
        let alignment = header.indices.map { rightAligned.contains($0) ? "---:" : "---" }
        return ([header, alignment] + rows)
            .map { "| " + $0.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n" }
            .joined()
    }
}

/// `value` with `digits` decimals, or "–" when missing or not finite.
func format(_ value: Double?, digits: Int = 4) -> String {
    guard let value, value.isFinite else { return "–" }
    return String(format: "%.\(digits)f", value)
}

/// `1234567` -> `"1,234,567"`.
func grouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    let withCommas = digits.enumerated().map { offset, digit in
        offset > 0 && (digits.count - offset) % 3 == 0 ? ",\(digit)" : "\(digit)"
    }.joined()
    return (value < 0 ? "-" : "") + withCommas
}

/// Bytes in decimal megabytes, one decimal ("–" when unknown).
func megabytes(_ bytes: Int?) -> String {
    bytes.map { String(format: "%.1f MB", Double($0) / 1e6) } ?? "–"
}
