import Evaluation
import Simulation

/// Per-arm means with confidence intervals for each A/B metric on a 0-1 scale: one row per metric
/// and arm, a dot at the mean and a bar over the interval.
func intervalChart(_ report: SimulationReport) -> String {
    let metrics = report.abTest.metrics.filter { ["CTR", "hits", "clickNDCG"].contains($0.metric) }
    let (left, top, width, row) = (150.0, 50.0, 520.0, 26.0)
    let upper = (metrics.map { max($0.intervalA.upper, $0.intervalB.upper) }.max() ?? 1) * 1.1
    let px = { (x: Double) in left + width * max(0, x) / upper }
    let height = top + row * Double(2 * metrics.count) + 50
    var svg = """
    <?xml version="1.0" encoding="UTF-8"?>
    <svg xmlns="http://www.w3.org/2000/svg" width="760" height="\(SVGText.number(height))" viewBox="0 0 760 \(SVGText.number(height))" font-family="sans-serif" font-size="13">
    <rect width="100%" height="100%" fill="white"/>
    <text x="380" y="26" text-anchor="middle" font-size="15" font-weight="bold">\(SVGText.escaped("A/B test per arm on \(report.dataset): mean and 95% CI over users"))</text>

    """
    for tick in 0...4 {
        let value = upper * Double(tick) / 4
        svg += "<line x1=\"\(SVGText.number(px(value)))\" y1=\"\(SVGText.number(top))\" x2=\"\(SVGText.number(px(value)))\" y2=\"\(SVGText.number(height - 40))\" stroke=\"#dddddd\"/>\n"
        svg += "<text x=\"\(SVGText.number(px(value)))\" y=\"\(SVGText.number(height - 22))\" text-anchor=\"middle\" fill=\"#555555\">\(String(format: "%.3f", value))</text>\n"
    }
    var y = top
    for metric in metrics {
        for (arm, mean, interval, color) in [("A \(report.a.model)", metric.meanA, metric.intervalA, "#2b6cb0"),
                                             ("B \(report.b.model)", metric.meanB, metric.intervalB, "#dd6b20")] {
            let middle = y + row / 2
            svg += "<text x=\"\(SVGText.number(left - 8))\" y=\"\(SVGText.number(middle + 4))\" text-anchor=\"end\">\(SVGText.escaped("\(metric.metric) · \(arm)"))</text>\n"
            svg += "<line x1=\"\(SVGText.number(px(interval.lower)))\" y1=\"\(SVGText.number(middle))\" x2=\"\(SVGText.number(px(interval.upper)))\" y2=\"\(SVGText.number(middle))\" stroke=\"\(color)\" stroke-width=\"3\"/>\n"
            svg += "<circle cx=\"\(SVGText.number(px(mean)))\" cy=\"\(SVGText.number(middle))\" r=\"5\" fill=\"\(color)\"/>\n"
            svg += "<text x=\"\(SVGText.number(px(interval.upper) + 8))\" y=\"\(SVGText.number(middle + 4))\">\(String(format: "%.4f", mean))</text>\n"
            y += row
        }
    }
    return svg + "</svg>\n"
}
