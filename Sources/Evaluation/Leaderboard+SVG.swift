import Foundation

extension Leaderboard {
    /// A horizontal bar chart of test NDCG@10 per model, best on top, with confidence-interval error
    /// bars and the value printed after each bar: a self-contained SVG document (no scripts, no
    /// external fonts or styles).
    public func svgBarChart() -> String {
        let labelWidth = 12.0 + Self.characterWidth * Double(entries.map(\.model.count).max() ?? 0)
        // The value text is at most "0.1234 ± 0.0123": 15 characters after a 6 px gap.
        let plotWidth = 480.0, rowHeight = 28.0, top = 48.0, valueWidth = 12.0 + Self.characterWidth * 15
        let plotHeight = rowHeight * Double(entries.count)
        let width = labelWidth + plotWidth + valueWidth, height = top + plotHeight + 40
        let highest = entries.map { $0.ndcg + ($0.ndcgHalfWidth ?? 0) }.max() ?? 0
        let (axisMax, divisions) = Self.niceAxis(highest)
        let tickDecimals = Self.decimals(axisMax / Double(divisions))
        let x = { (value: Double) in labelWidth + plotWidth * max(0, value) / axisMax }

        var svg = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(SVGText.number(width))" height="\(SVGText.number(height))" \
        viewBox="0 0 \(SVGText.number(width)) \(SVGText.number(height))" font-family="sans-serif" font-size="13">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(SVGText.number(width / 2))" y="24" text-anchor="middle" font-size="15" font-weight="bold">\
        \(SVGText.escaped("Test NDCG@10 on \(dataset), \(Int((confidence * 100).rounded()))% confidence intervals"))</text>

        """
        for tick in 0...divisions {
            let value = axisMax * Double(tick) / Double(divisions)
            svg += """
            <line x1="\(SVGText.number(x(value)))" y1="\(SVGText.number(top))" x2="\(SVGText.number(x(value)))" \
            y2="\(SVGText.number(top + plotHeight))" stroke="#dddddd"/>
            <text x="\(SVGText.number(x(value)))" y="\(SVGText.number(top + plotHeight + 18))" text-anchor="middle" \
            fill="#555555">\(String(format: "%.\(tickDecimals)f", value))</text>

            """
        }
        for (row, entry) in entries.enumerated() {
            let y = top + rowHeight * Double(row), middle = y + rowHeight / 2
            let barEnd = x(entry.ndcg)
            svg += """
            <text x="\(SVGText.number(labelWidth - 8))" y="\(SVGText.number(middle + 4))" text-anchor="end">\
            \(SVGText.escaped(entry.model))</text>
            <rect x="\(SVGText.number(labelWidth))" y="\(SVGText.number(y + 5))" width="\(SVGText.number(barEnd - labelWidth))" \
            height="\(SVGText.number(rowHeight - 10))" fill="\(row == 0 ? "#2b6cb0" : "#90b4d8")"/>

            """
            var valueX = barEnd
            if let halfWidth = entry.ndcgHalfWidth {
                let (low, high) = (x(entry.ndcg - halfWidth), x(entry.ndcg + halfWidth))
                valueX = high
                svg += """
                <line x1="\(SVGText.number(low))" y1="\(SVGText.number(middle))" x2="\(SVGText.number(high))" \
                y2="\(SVGText.number(middle))" stroke="black"/>
                <line x1="\(SVGText.number(low))" y1="\(SVGText.number(middle - 5))" x2="\(SVGText.number(low))" \
                y2="\(SVGText.number(middle + 5))" stroke="black"/>
                <line x1="\(SVGText.number(high))" y1="\(SVGText.number(middle - 5))" x2="\(SVGText.number(high))" \
                y2="\(SVGText.number(middle + 5))" stroke="black"/>

                """
            }
            let value = String(format: "%.4f", entry.ndcg) + (entry.ndcgHalfWidth.map { String(format: " ± %.4f", $0) } ?? "")
            svg += """
            <text x="\(SVGText.number(valueX + 6))" y="\(SVGText.number(middle + 4))">\(SVGText.escaped(value))</text>

            """
        }
        return svg + "</svg>\n"
    }

    /// Width reserved per character of 13 px sans-serif text (generous: wide letters such as "m"
    /// and "w" run close to 9 px).
    private static let characterWidth = 8.5

    /// Nice axis maxima (× 10^k) with how many gridline intervals divide each into round steps.
    private static let niceSteps: [(mantissa: Double, divisions: Int)] = [
        (1, 5), (1.5, 3), (2, 4), (2.5, 5), (3, 6), (4, 4), (5, 5), (6, 6), (7.5, 3), (8, 4), (10, 5),
    ]

    /// The smallest of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5, 8 × 10^k at or above `value`, and the number of
    /// gridline intervals (3 to 6) that split it into round steps; (0.1, 5) for nothing to show.
    private static func niceAxis(_ value: Double) -> (maximum: Double, divisions: Int) {
        guard value > 0, value.isFinite else { return (0.1, 5) }
        let magnitude = pow(10, floor(log10(value)))
        // A relative tolerance keeps exact nice values (0.3, 0.075) from rounding up a step.
        let step = niceSteps.first { $0.mantissa * magnitude >= value * (1 - 1e-12) } ?? (10, 5)
        return (step.mantissa * magnitude, step.divisions)
    }

    /// The fewest decimals (at most 8) that print `step` and its multiples exactly: 0.025 -> 3, 0.5 -> 1.
    private static func decimals(_ step: Double) -> Int {
        (0...8).first { digits in
            let scaled = step * pow(10, Double(digits))
            return abs(scaled - scaled.rounded()) < 1e-6 * max(1, scaled)
        } ?? 8
    }
}
