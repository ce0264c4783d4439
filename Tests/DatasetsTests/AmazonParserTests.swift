import Datasets
import XCTest

final class AmazonParserTests: XCTestCase {
    func testAmazon2014WithPythonLiteralMeta() throws {
        let parsed = try loadDataset(at: Fixture.path("amazon-2014"), name: "amazon-2014")
        XCTAssertEqual(parsed.format, .amazon2014)
        let dataset = parsed.dataset
        XCTAssertEqual(dataset.rawInteractions, [
            "A2SUAM1J3GNN3B 0000013714 5.0 1252800000", "A3SUAM1J3GNN3C 0000031852 3.0 1252800100",
            "A2SUAM1J3GNN3B 0000031852 4.0 1252800200",
        ])
        XCTAssertEqual(dataset.item("0000013714")?.fields, [
            "title": "Children's Hymns, \"Volume\" 1", "brand": "Coxlist", "categories": "Books, Music, Hymns",
            "description": "Line one\nline two café ☃",
        ])
        XCTAssertEqual(dataset.item("0000031852")?.fields, [
            "title": "Girls Ballet Tutu Zebra Hot Pink", "categories": "Sports & Outdoors, Other Sports, Dance",
        ])
        XCTAssertEqual(parsed.report.describedItems, 2)
        XCTAssertEqual(dataset.numItems, 2, "meta for unreviewed items is ignored")
    }

    func testAmazon2018() throws {
        let parsed = try loadDataset(at: Fixture.path("amazon-2018"), name: "amazon-2018")
        XCTAssertEqual(parsed.format, .amazon2018)
        XCTAssertEqual(parsed.dataset.rawInteractions, ["A1JGAP0185YJI6 0700026657 5.0 1448582400", "A2X 0700099867 2.0 1448582401"])
        XCTAssertEqual(parsed.dataset.item("0700026657")?.fields, [
            "title": "The Hobbit", "brand": "Tolkien", "categories": "Books, Literature & Fiction",
            "description": "A classic. Now in paperback.",
        ])
        XCTAssertEqual(parsed.dataset.item("0700099867")?.fields, ["title": "Café Cookbook"])
    }

    func testAmazon2023UsesParentASINAndSeconds() throws {
        let parsed = try loadDataset(at: Fixture.path("amazon-2023"), name: "amazon-2023")
        XCTAssertEqual(parsed.format, .amazon2023)
        XCTAssertEqual(parsed.dataset.rawInteractions, [
            "AGKHLEW2SOWHNMFQIJGBECAF7INQ B00YQ6X8EO 5.0 1588687728",
            "AGKHLEW2SOWHNMFQIJGBECAF7INQ B01CUPMQZE 4.0 1588687729",
        ])
        XCTAssertEqual(parsed.dataset.item("B01CUPMQZE")?.fields, [
            "title": "Howard LC0008 Leather Conditioner, 8-Ounce", "features": "Conditions leather 8 oz",
            "categories": "Beauty, Leather", "store": "Howard Products",
        ])
        XCTAssertEqual(parsed.dataset.item("B00YQ6X8EO")?.fields, ["title": "Smiley", "description": "A face. Yellow."])
    }

    func testReviewsFileAloneNeedsNoMeta() throws {
        let parsed = try loadDataset(at: Fixture.path("amazon-2018/Toys_5.json"), name: "reviews-only")
        XCTAssertEqual(parsed.format, .amazon2018)
        XCTAssertEqual(parsed.dataset.numItems, 2)
        XCTAssertEqual(parsed.dataset.items.map(\.fields), [[:], [:]])
    }
}
