import Foundation

/// A minimal SVG line chart: several series of (x, y) points, drawn as lines, dots or both, with
/// axes, tick labels and a legend. Self-contained (no scripts, fonts or styles).
struct LineChart {
    /// One series.
    struct Series {
        var name: String
        var color: String
        var points: [(x: Double, y: Double)]
        var dashed = false
        var dots = false
    }

    var title: String
    var xLabel: String
    var yLabel: String
    var series: [Series]
    /// x tick positions and their labels.
    var xTicks: [(value: Double, label: String)]
    var yRange: ClosedRange<Double>

    /// The chart as an SVG document.
    func svg() -> String {
        let (left, top, width, height) = (70.0, 50.0, 520.0, 300.0)
        let xs = series.flatMap { $0.points.map(\.x) } + xTicks.map(\.value)
        let (xMin, xMax) = (xs.min() ?? 0, max(xs.max() ?? 1, (xs.min() ?? 0) + 1e-9))
        let px = { (x: Double) in left + width * (x - xMin) / (xMax - xMin) }
        let py = { (y: Double) in top + height * (1 - (y - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound)) }
        var svg = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="800" height="420" viewBox="0 0 800 420" font-family="sans-serif" font-size="13">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(f(left + width / 2))" y="26" text-anchor="middle" font-size="15" font-weight="bold">\(escaped(title))</text>
        <text x="\(f(left + width / 2))" y="\(f(top + height + 40))" text-anchor="middle">\(escaped(xLabel))</text>
        <text x="18" y="\(f(top + height / 2))" text-anchor="middle" transform="rotate(-90 18 \(f(top + height / 2)))">\(escaped(yLabel))</text>

        """
        for tick in 0...4 {
            let value = yRange.lowerBound + (yRange.upperBound - yRange.lowerBound) * Double(tick) / 4
            svg += "<line x1=\"\(f(left))\" y1=\"\(f(py(value)))\" x2=\"\(f(left + width))\" y2=\"\(f(py(value)))\" stroke=\"#dddddd\"/>\n"
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(py(value) + 4))\" text-anchor=\"end\" fill=\"#555555\">\(String(format: "%.2f", value))</text>\n"
        }
        for tick in xTicks {
            svg += "<line x1=\"\(f(px(tick.value)))\" y1=\"\(f(top))\" x2=\"\(f(px(tick.value)))\" y2=\"\(f(top + height))\" stroke=\"#eeeeee\"/>\n"
            svg += "<text x=\"\(f(px(tick.value)))\" y=\"\(f(top + height + 18))\" text-anchor=\"middle\" fill=\"#555555\">\(escaped(tick.label))</text>\n"
        }
        for (index, line) in series.enumerated() {
            let path = line.points.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
            if !line.dots || line.dashed {
                svg += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"2\"\(line.dashed ? " stroke-dasharray=\"6 4\"" : "")/>\n"
            }
            if line.dots {
                for point in line.points {
                    svg += "<circle cx=\"\(f(px(point.x)))\" cy=\"\(f(py(point.y)))\" r=\"4\" fill=\"\(line.color)\"/>\n"
                }
            }
            let legendY = top + 10 + 20 * Double(index)
            svg += "<rect x=\"\(f(left + width + 20))\" y=\"\(f(legendY - 9))\" width=\"14\" height=\"10\" fill=\"\(line.color)\"/>\n"
            svg += "<text x=\"\(f(left + width + 40))\" y=\"\(f(legendY))\">\(escaped(line.name))</text>\n"
        }
        return svg + "</svg>\n"
    }
}

/// A coordinate with one decimal.
func f(_ value: Double) -> String { String(format: "%.1f", value) }

/// `text` with XML's special characters escaped.
func escaped(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}
