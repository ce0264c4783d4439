import Datasets
import XCTest

final class RecBoleParserTests: XCTestCase {
    func testAtomicFiles() throws {
        let parsed = try loadDataset(at: Fixture.path("recbole"), name: "tiny")
        XCTAssertEqual(parsed.format, .recbole)
        let dataset = parsed.dataset
        XCTAssertEqual(dataset.rawInteractions, ["u1 i3 4.0 100", "u1 i1 5.0 100", "u2 i2 3.5 90"])
        XCTAssertEqual(dataset.item("i1")?.fields, ["title": "Toy Story", "year": "1995", "genres": "Animation, Children's, Comedy", "price": "9.5"])
        XCTAssertEqual(dataset.item("i2")?.fields, ["title": "Heat", "year": "1995", "genres": "Action, Crime"])
        XCTAssertEqual(dataset.item("i3")?.fields, [:])
        XCTAssertEqual(dataset.users.map(\.attributes), [["age": "24", "gender": "M"], ["age": "53", "gender": "F"]])
        XCTAssertEqual(parsed.report.describedItems, 2)
        XCTAssertEqual(parsed.report.describedUsers, 2)
    }

    func testGenreColumnOfMovieLens1MBecomesGenresAndOtherColumnsKeepTheirNames() throws {
        let folder = try makeTemporaryDirectory(self)
        try "user_id:token\titem_id:token\n1\t1\n1\t2\n".write(toFile: folder + "/ml-1m.inter", atomically: true, encoding: .utf8)
        try ("item_id:token\tmovie_title:token_seq\trelease_year:token\tgenre:token_seq\n"
             + "1\tToy Story\t1995\tAnimation Children's Comedy\n2\tHeat\t1995\tAction\n")
            .write(toFile: folder + "/ml-1m.item", atomically: true, encoding: .utf8)
        let dataset = try loadDataset(at: folder, name: "ml-1m").dataset
        XCTAssertEqual(dataset.item("1")?.fields, ["title": "Toy Story", "year": "1995", "genres": "Animation, Children's, Comedy"])
        XCTAssertEqual(dataset.item("2")?.fields, ["title": "Heat", "year": "1995", "genres": "Action"])
    }

    func testRealMovieLens100K() throws {
        let parsed = try loadDataset(at: try RepositoryData.movieLens100K(), name: "ml-100k")
        XCTAssertEqual(parsed.format, .recbole)
        XCTAssertEqual(parsed.dataset.numUsers, 943)
        XCTAssertEqual(parsed.dataset.numItems, 1682)
        XCTAssertEqual(parsed.dataset.interactions.count, 100_000)
        XCTAssertEqual(parsed.report.describedItems, 1682)
        XCTAssertEqual(parsed.report.describedUsers, 943)
        XCTAssertEqual(parsed.dataset.item("1")?.fields["title"], "Toy Story")
        XCTAssertEqual(parsed.dataset.item("1")?.fields["genres"], "Animation, Children's, Comedy")
    }
}
