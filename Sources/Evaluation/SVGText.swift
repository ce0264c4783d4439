import Foundation

/// Text helpers every SVG chart of llmrec shares (the leaderboard, line charts, the notebooks').
public enum SVGText {
    /// A coordinate with one decimal.
    public static func number(_ value: Double) -> String { String(format: "%.1f", value) }

    /// `text` with the five XML special characters escaped.
    public static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&apos;")
    }
}
