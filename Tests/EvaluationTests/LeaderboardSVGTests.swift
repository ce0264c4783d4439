import Evaluation
import Foundation
import XCTest

/// The bar chart's axis and label column.
final class LeaderboardSVGTests: XCTestCase {
    /// With NDCG@10 near 0.06 the axis ends at 0.075 at most (not 0.1), above the highest error bar,
    /// with round gridline labels.
    func testSVGAxisFitsValuesNearSixPercent() throws {
        let values = (0..<40).map { 0.04 + 0.001 * Double($0) }  // mean 0.0595
        let board = Leaderboard(reports: [makeReport(model: "mostpop", ndcgPerUser: values),
                                          makeReport(model: "itemknn", ndcgPerUser: values.map { $0 - 0.01 })])
        let highest = try XCTUnwrap(board.entries.map { $0.ndcg + ($0.ndcgHalfWidth ?? 0) }.max())
        XCTAssertGreaterThan(highest, 0.05)
        let ticks = tickLabels(board.svgBarChart())
        let axisMax = try XCTUnwrap(ticks.last.flatMap(Double.init))
        XCTAssertEqual(ticks.first, "0.000")
        XCTAssertLessThanOrEqual(axisMax, 0.075)
        XCTAssertGreaterThanOrEqual(axisMax, highest)
        XCTAssertEqual(ticks, ["0.000", "0.025", "0.050", "0.075"])
    }

    /// Axis maxima follow 1, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5, 8, 10 × 10^k with round gridline steps.
    func testSVGAxisMaximaAreNiceAndTight() throws {
        let cases: [(ndcg: Double, axisMax: Double)] = [
            (0.011, 0.015), (0.018, 0.02), (0.022, 0.025), (0.028, 0.03), (0.035, 0.04), (0.045, 0.05),
            (0.058, 0.06), (0.07, 0.075), (0.079, 0.08), (0.09, 0.1), (0.3, 0.3), (0.42, 0.5), (0.9, 1),
        ]
        for (ndcg, expected) in cases {
            let board = Leaderboard(reports: [makeReport(model: "m", ndcgPerUser: Array(repeating: ndcg, count: 10))])
            let ticks = tickLabels(board.svgBarChart())
            let values = ticks.compactMap(Double.init)
            XCTAssertEqual(values.count, ticks.count)
            XCTAssertEqual(values.last ?? 0, expected, accuracy: 1e-9, "NDCG \(ndcg): \(ticks)")
            XCTAssert((4...7).contains(ticks.count), "NDCG \(ndcg): \(ticks)")
            let steps = zip(values.dropFirst(), values).map { $0 - $1 }
            XCTAssert(steps.allSatisfy { abs($0 - steps[0]) < 1e-9 }, "NDCG \(ndcg): \(ticks)")
        }
    }

    /// The label column leaves about 8.5 px per character of the longest model name, so 13 px
    /// labels such as "mostpop" are not clipped.
    func testSVGLabelColumnFitsTheLongestName() throws {
        for name in ["mostpop", "wwwwwwwwwwwwwwwwwwww"] {
            let board = Leaderboard(reports: [makeReport(model: name, ndcgPerUser: [0.1, 0.2, 0.3]),
                                              makeReport(model: "ease", ndcgPerUser: [0.2, 0.2, 0.2])])
            let svg = board.svgBarChart()
            let match = try XCTUnwrap(svg.firstMatch(of: #/<rect x="([0-9.]+)"/#))
            let barStart = try XCTUnwrap(Double(match.1))
            XCTAssertGreaterThanOrEqual(barStart, 8 + 8.5 * Double(name.count), name)
        }
    }
}

/// The gridline labels along the x axis, left to right.
private func tickLabels(_ svg: String) -> [String] {
    svg.matches(of: #/fill="#555555">([0-9.]+)</text>/#).map { String($0.1) }
}
