import Datasets
import ItemLLM
import XCTest

final class ItemTextTemplateTests: XCTestCase {
    func testMovieLensTemplateWritesLabelledFieldsInOrder() {
        let item = ItemRecord(rawID: "1", fields: ["genres": "Animation, Children's, Comedy", "year": "1995",
                                                   "title": "Toy Story"])
        XCTAssertEqual(ItemTextTemplate.movieLens.text(for: item),
                       "Title: Toy Story. Year: 1995. Genres: Animation, Children's, Comedy.")
    }

    func testMissingAndBlankFieldsAreLeftOutAndTrailingPeriodsNotDoubled() {
        let item = ItemRecord(rawID: "B00X", fields: ["title": "Lamp", "brand": "  ", "description": "Bright light."])
        XCTAssertEqual(ItemTextTemplate.amazon.text(for: item), "Title: Lamp. Description: Bright light.")
    }

    func testItemWithoutTextIsDescribedByItsRawID() {
        XCTAssertEqual(ItemTextTemplate.movieLens.text(for: ItemRecord(rawID: "42", fields: [:])), "42")
    }

    func testTemplateFollowsTheIngestFormat() {
        XCTAssertEqual(ItemTextTemplate.forFormat("amazon-2023"), .amazon)
        XCTAssertEqual(ItemTextTemplate.forFormat("movielens-100k"), .movieLens)
        XCTAssertEqual(ItemTextTemplate.forFormat("recbole"), .movieLens)
        XCTAssertEqual(ItemTextTemplate.named("Amazon"), .amazon)
        XCTAssertNil(ItemTextTemplate.named("imdb"))
    }
}
