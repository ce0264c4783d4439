import Evaluation
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import SeededRandom
import XCTest

final class LeaderboardTests: XCTestCase {
    /// Three models on the same 40 users: "good" beats "okay" by a wide margin, "close" nearly ties "good".
    private func reports() -> [EvaluationReport] {
        var random = SplitMix64(seed: 21)
        let good = (0..<40).map { _ in Double.random(in: 0.3..<0.7, using: &random) }
        let close = good.map { $0 - 0.001 + Double.random(in: -0.05..<0.05, using: &random) }
        let okay = good.map { $0 - 0.2 }
        return [makeReport(model: "okay", ndcgPerUser: okay, fitSeconds: 0.5),
                makeReport(model: "good <&> model", ndcgPerUser: good, fitSeconds: 12),
                makeReport(model: "close", ndcgPerUser: close, fitSeconds: 3)]
    }

    func testEntriesAreSortedWithPValuesAgainstTheBest() throws {
        let board = Leaderboard(reports: reports())
        XCTAssertEqual(board.entries.map(\.model), ["good <&> model", "close", "okay"])
        XCTAssertNil(board.entries[0].pValueAgainstBest)
        let closeP = try XCTUnwrap(board.entries[1].pValueAgainstBest)
        let okayP = try XCTUnwrap(board.entries[2].pValueAgainstBest)
        XCTAssertGreaterThan(closeP, 0.05)
        XCTAssertLessThan(okayP, 0.001)
        let halfWidth = try XCTUnwrap(board.entries[0].ndcgHalfWidth)
        XCTAssert(halfWidth > 0 && halfWidth < 0.1)
        XCTAssertEqual(board.entries[2].fitSeconds, 0.5)
    }

    func testMarkdownRowsInOrder() throws {
        let markdown = Leaderboard(reports: reports()).markdown()
        let rows = markdown.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| #") && !$0.hasPrefix("| ---") }
        XCTAssertEqual(rows.count, 3)
        XCTAssert(rows[0].hasPrefix("| 1 | good <&> model | "))
        XCTAssert(rows[0].hasSuffix("| 12.00 | best |"))
        XCTAssert(rows[1].hasPrefix("| 2 | close | "))
        XCTAssert(rows[2].hasPrefix("| 3 | okay | "))
        XCTAssert(rows[2].hasSuffix("| 0.50 | <0.001 |"))
        XCTAssert(rows[2].contains(" ± "))
        XCTAssert(markdown.contains("| # | model | NDCG@10 (± 95% CI) | HR@10 | MRR | Coverage@10 | fit (s) | p vs best |"))
    }

    func testSVGIsWellFormedWithOneBarPerModel() throws {
        let svg = Leaderboard(reports: reports()).svgBarChart()
        XCTAssert(svg.hasPrefix("<?xml"))
        XCTAssert(svg.contains("good &lt;&amp;&gt; model"))
        let counter = ElementCounter()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = counter
        XCTAssert(parser.parse(), "SVG must parse: \(String(describing: parser.parserError))")
        XCTAssertEqual(counter.root, "svg")
        XCTAssertEqual(counter.counts["rect"], 1 + 3)  // background + one bar per model
        let gridlines = svg.components(separatedBy: "fill=\"#555555\"").count - 1  // one label per gridline
        XCTAssert((4...7).contains(gridlines))
        XCTAssertEqual(counter.counts["line"], gridlines + 3 * 3)  // gridlines + an error bar (3 lines) per model
        XCTAssert(counter.text.contains("good <&> model"))
    }

    func testEmptyLeaderboardStillRenders() {
        let board = Leaderboard(reports: [])
        XCTAssert(board.entries.isEmpty)
        XCTAssert(board.markdown().contains("| # | model |"))
        XCTAssert(board.svgBarChart().hasSuffix("</svg>\n"))
    }
}

/// Counts elements by name and collects text, to check the SVG's structure.
private final class ElementCounter: NSObject, XMLParserDelegate {
    var root: String?
    var counts: [String: Int] = [:]
    var text = ""

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        if root == nil { root = elementName }
        counts[elementName, default: 0] += 1
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }
}
