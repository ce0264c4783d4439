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

    func testBuiltInTemplatesAreFoundByName() {
        XCTAssertEqual(ItemTextTemplate.named("Amazon"), .amazon)
        XCTAssertEqual(ItemTextTemplate.named("movielens"), .movieLens)
        XCTAssertNil(ItemTextTemplate.named("imdb"))
    }
}

/// The template derived from the fields the items carry, and the one a user lists.
final class ItemTextTemplateFieldsTests: XCTestCase {
    /// The items of `Fixtures/recbole-amazon` (RecBole atomic files of Amazon data: title, sales_type,
    /// categories, price, brand and description columns; B002's description is a blank, B003 has
    /// only a title and categories), by raw id.
    private func recBoleAmazonItems() throws -> [String: ItemRecord] {
        let folder = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("recbole-amazon")
        let dataset = try loadDataset(at: folder.path, name: "office").dataset
        return Dictionary(uniqueKeysWithValues: dataset.items.map { ($0.rawID, $0) })
    }

    func testRecBoleAmazonItemsGetTitleBrandCategoriesAndDescription() throws {
        let items = try recBoleAmazonItems()
        let template = ItemTextTemplate.derived(from: Array(items.values))
        XCTAssertEqual(template.name, "amazon")
        XCTAssertEqual(template.slots.map(\.field), ["title", "brand", "categories", "description"])
        XCTAssertEqual(template.text(for: items["B001"]!),
                       "Title: Swingline Stapler. Brand: Swingline. Categories: Office Products, Staplers. Description: Jam-free stapler for 20 sheets.")
        XCTAssertEqual(template.text(for: items["B002"]!),
                       "Title: Sharpie Markers, 12 Pack. Brand: Sharpie. Categories: Office Products, Writing.")
        XCTAssertEqual(template.text(for: items["B003"]!), "Title: Plain Notebook. Categories: Office Products, Paper.")
    }

    func testMovieLensItemsKeepTheMovieLensTemplateAndText() {
        let items = [
            ItemRecord(rawID: "1", fields: ["title": "Toy Story", "year": "1995", "genres": "Animation, Children's, Comedy"]),
            ItemRecord(rawID: "267", fields: ["title": "unknown", "genres": "Unknown"]),
        ]
        let template = ItemTextTemplate.derived(from: items)
        XCTAssertEqual(template, .movieLens)
        XCTAssertEqual(template.name, "movielens")
        XCTAssertEqual(template.text(for: items[0]), "Title: Toy Story. Year: 1995. Genres: Animation, Children's, Comedy.")
        XCTAssertEqual(template.text(for: items[1]), "Title: unknown. Genres: Unknown.")
    }

    func testFieldsInsideABuiltInKeepItsNameAndItemsWithoutFieldsGetMovieLens() {
        let titles = [ItemRecord(rawID: "1", fields: ["title": "Heat", "price": "3"])]
        XCTAssertEqual(ItemTextTemplate.derived(from: titles), .movieLens, "title alone: the text is movielens' text")
        let brands = [ItemRecord(rawID: "1", fields: ["title": "Lamp"]), ItemRecord(rawID: "2", fields: ["brand": "Acme"])]
        XCTAssertEqual(ItemTextTemplate.derived(from: brands), .amazon)
        XCTAssertEqual(ItemTextTemplate.derived(from: [ItemRecord(rawID: "7", fields: [:])]), .movieLens)
        XCTAssertEqual(ItemTextTemplate.derived(from: []), .movieLens)
    }

    func testOtherKnownFieldsAreNamedByTheirFieldsInTheKnownOrder() {
        let items = [ItemRecord(rawID: "1", fields: ["description": "Loud.", "year": "2001", "title": "Drum", "store": "Acme",
                                                     "sales_rank": "12", "features": "Two sticks"])]
        let template = ItemTextTemplate.derived(from: items)
        XCTAssertEqual(template.name, "fields-title-year-store-features-description")
        XCTAssertEqual(template.text(for: items[0]), "Title: Drum. Year: 2001. Store: Acme. Features: Two sticks. Description: Loud.")
    }

    func testAUserFieldListIsWrittenInItsOrderAndNamedByItsFields() throws {
        let items = try recBoleAmazonItems()
        let template = try ItemTextTemplate.resolve(" categories, title ,sales_type", for: Array(items.values))
        XCTAssertEqual(template.name, "fields-categories-title-sales_type")
        XCTAssertEqual(template.slots, [.init(field: "categories", label: "Categories"), .init(field: "title", label: "Title"),
                                        .init(field: "sales_type", label: "Sales type")])
        XCTAssertEqual(template.text(for: items["B001"]!),
                       "Categories: Office Products, Staplers. Title: Swingline Stapler. Sales type: Office Products.")
        XCTAssertEqual(try ItemTextTemplate.resolve(template.name, for: Array(items.values)), template, "the recorded name reads back")
        XCTAssertEqual(try ItemTextTemplate.resolve("title,brand,categories,description", for: Array(items.values)), .amazon)
        XCTAssertEqual(try ItemTextTemplate.resolve("MovieLens", for: Array(items.values)), .movieLens)
        XCTAssertEqual(try ItemTextTemplate.resolve(nil, for: Array(items.values)), .amazon)
        XCTAssertEqual(try ItemTextTemplate.resolve(" ", for: Array(items.values)), .amazon)
    }

    func testAFieldNoItemHasIsAnErrorListingTheFieldsTheItemsHave() throws {
        let items = Array(try recBoleAmazonItems().values)
        let cases = [
            ("title,colour", "item template field 'colour' is not a field of any item; the items have: brand, categories, "
                + "description, price, sales_type, title (or give a built-in template: movielens, amazon)"),
            ("title,title", "item template field 'title' is listed twice"),
            ("title,sub-category", "item template field 'sub-category' contains '-', which template names use between fields"),
            (" , ", "item template ',' names no field; give a built-in template (movielens, amazon) or a comma-separated field list"),
        ]
        for (specification, message) in cases {
            XCTAssertThrowsError(try ItemTextTemplate.resolve(specification, for: items), specification) { error in
                XCTAssertEqual(error as? ItemLLMError, .invalidSetting(message))
            }
        }
        XCTAssertThrowsError(try ItemTextTemplate.resolve("title", for: [ItemRecord(rawID: "1", fields: [:])])) { error in
            XCTAssertEqual(error as? ItemLLMError, .invalidSetting(
                "item template field 'title' is not a field of any item; the items have no text fields (or give a built-in template: movielens, amazon)"))
        }
    }
}
