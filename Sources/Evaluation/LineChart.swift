import Foundation

/// A minimal SVG line chart: several series of (x, y) points, drawn as lines, dots or both, with
/// axes, tick labels and a legend. Self-contained (no scripts, fonts or styles).
public struct LineChart {
    /// One series.
    public struct Series {
        /// Legend text.
        public var name: String
        /// An SVG colour ("#1f77b4").
        public var color: String
        /// The points, drawn in order.
        public var points: [(x: Double, y: Double)]
        /// Draw the line dashed.
        public var dashed: Bool
        /// Draw a dot at every point (without a line unless `dashed`).
        public var dots: Bool

        /// A series named `name` in `color`.
        public init(name: String, color: String, points: [(x: Double, y: Double)], dashed: Bool = false, dots: Bool = false) {
            self.name = name
            self.color = color
            self.points = points
            self.dashed = dashed
            self.dots = dots
        }
    }

    /// Title above the plot.
    public var title: String
    /// Label under the x axis.
    public var xLabel: String
    /// Label left of the y axis.
    public var yLabel: String
    /// The series, drawn in order, one legend entry each.
    public var series: [Series]
    /// x tick positions and their labels.
    public var xTicks: [(value: Double, label: String)]
    /// The y axis range (five grid lines).
    public var yRange: ClosedRange<Double>

    /// A chart of `series`.
    public init(title: String, xLabel: String, yLabel: String, series: [Series], xTicks: [(value: Double, label: String)],
                yRange: ClosedRange<Double>) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.xTicks = xTicks
        self.yRange = yRange
    }

    /// The chart as an SVG document.
    public func svg() -> String {
        let (left, top, width, height) = (70.0, 50.0, 520.0, 300.0)
        let xs = series.flatMap { $0.points.map(\.x) } + xTicks.map(\.value)
        let (xMin, xMax) = (xs.min() ?? 0, max(xs.max() ?? 1, (xs.min() ?? 0) + 1e-9))
        let px = { (x: Double) in left + width * (x - xMin) / (xMax - xMin) }
        let py = { (y: Double) in top + height * (1 - (y - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound)) }
        var svg = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="800" height="420" viewBox="0 0 800 420" font-family="sans-serif" font-size="13">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(SVGText.number(left + width / 2))" y="26" text-anchor="middle" font-size="15" font-weight="bold">\(SVGText.escaped(title))</text>
        <text x="\(SVGText.number(left + width / 2))" y="\(SVGText.number(top + height + 40))" text-anchor="middle">\(SVGText.escaped(xLabel))</text>
        <text x="18" y="\(SVGText.number(top + height / 2))" text-anchor="middle" transform="rotate(-90 18 \(SVGText.number(top + height / 2)))">\(SVGText.escaped(yLabel))</text>

        """
        for tick in 0...4 {
            let value = yRange.lowerBound + (yRange.upperBound - yRange.lowerBound) * Double(tick) / 4
            svg += "<line x1=\"\(SVGText.number(left))\" y1=\"\(SVGText.number(py(value)))\" x2=\"\(SVGText.number(left + width))\" y2=\"\(SVGText.number(py(value)))\" stroke=\"#dddddd\"/>\n"
            svg += "<text x=\"\(SVGText.number(left - 6))\" y=\"\(SVGText.number(py(value) + 4))\" text-anchor=\"end\" fill=\"#555555\">\(String(format: "%.2f", value))</text>\n"
        }
        for tick in xTicks {
            svg += "<line x1=\"\(SVGText.number(px(tick.value)))\" y1=\"\(SVGText.number(top))\" x2=\"\(SVGText.number(px(tick.value)))\" y2=\"\(SVGText.number(top + height))\" stroke=\"#eeeeee\"/>\n"
            svg += "<text x=\"\(SVGText.number(px(tick.value)))\" y=\"\(SVGText.number(top + height + 18))\" text-anchor=\"middle\" fill=\"#555555\">\(SVGText.escaped(tick.label))</text>\n"
        }
        for (index, line) in series.enumerated() {
            let path = line.points.map { "\(SVGText.number(px($0.x))),\(SVGText.number(py($0.y)))" }.joined(separator: " ")
            if !line.dots || line.dashed {
                svg += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"2\"\(line.dashed ? " stroke-dasharray=\"6 4\"" : "")/>\n"
            }
            if line.dots {
                for point in line.points {
                    svg += "<circle cx=\"\(SVGText.number(px(point.x)))\" cy=\"\(SVGText.number(py(point.y)))\" r=\"4\" fill=\"\(line.color)\"/>\n"
                }
            }
            let legendY = top + 10 + 20 * Double(index)
            svg += "<rect x=\"\(SVGText.number(left + width + 20))\" y=\"\(SVGText.number(legendY - 9))\" width=\"14\" height=\"10\" fill=\"\(line.color)\"/>\n"
            svg += "<text x=\"\(SVGText.number(left + width + 40))\" y=\"\(SVGText.number(legendY))\">\(SVGText.escaped(line.name))</text>\n"
        }
        return svg + "</svg>\n"
    }
}
