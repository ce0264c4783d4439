import Datasets
import XCTest

final class MovieLensParserTests: XCTestCase {
    func testMovieLens100K() throws {
        let parsed = try loadDataset(at: Fixture.path("ml-100k"), name: "ml-100k-fixture")
        XCTAssertEqual(parsed.format, .movielens100k)
        let dataset = parsed.dataset
        XCTAssertEqual(dataset.userIDs, ["196", "186", "244", "166"].dropLast())
        XCTAssertEqual(dataset.itemIDs, ["242", "302", "377", "51"])
        XCTAssertEqual(dataset.rawInteractions, [
            "196 242 3.0 881250949", "186 302 3.0 891717742", "196 377 1.0 878887116",
            "244 51 2.0 880606923", "186 242 5.0 891717742",
        ])
        XCTAssertEqual(dataset.item("242")?.fields, ["title": "Kolya", "year": "1996", "genres": "Comedy"])
        XCTAssertEqual(dataset.item("302")?.fields,
                       ["title": "L.A. Confidential", "year": "1997", "genres": "Crime, Film-Noir, Mystery, Thriller"])
        XCTAssertEqual(dataset.item("377")?.title, "Café au lait")
        XCTAssertEqual(dataset.item("51")?.fields, ["title": "unknown", "year": "1994", "genres": "unknown"])
        XCTAssertEqual(dataset.users.map(\.rawID), ["196", "186", "244"])
        XCTAssertEqual(dataset.users[1].attributes, ["age": "39", "gender": "F", "occupation": "executive", "zip_code": "00000"])
        XCTAssertEqual(parsed.report, {
            var report = ParseReport()
            report.linesRead = 5 + 5 + 3
            report.interactions = 5
            report.describedItems = 4
            report.describedUsers = 3
            return report
        }())
        XCTAssertEqual(parsed.sourceFiles.map { ($0.path as NSString).lastPathComponent }, ["u.data", "u.item", "u.user"])
    }

    func testMovieLens1MWithWindowsLineEndings() throws {
        let dataset = try loadDataset(at: Fixture.path("ml-1m"), name: "ml-1m-fixture").dataset
        XCTAssertEqual(dataset.rawInteractions, [
            "1 1193 5.0 978300760", "1 661 3.0 978302109", "2 1193 4.0 978298413", "2 3408 4.0 978300275",
        ])
        XCTAssertEqual(dataset.item("1193")?.fields, ["title": "One Flew Over the Cuckoo's Nest", "year": "1975", "genres": "Drama"])
        XCTAssertEqual(dataset.item("661")?.fields["genres"], "Animation, Children's, Musical")
        XCTAssertEqual(dataset.item("3408")?.fields, ["title": "Café Society: A Story", "year": "2000", "genres": "Comedy, Drama"])
        XCTAssertEqual(dataset.users[0].attributes, ["gender": "F", "age": "1", "occupation": "10", "zip_code": "48067"])
    }

    func testMovieLensCSVWithQuotedTitles() throws {
        let parsed = try loadDataset(at: Fixture.path("ml-csv"), name: "ml-csv-fixture")
        XCTAssertEqual(parsed.format, .movielensCSV)
        let dataset = parsed.dataset
        XCTAssertEqual(dataset.rawInteractions, [
            "1 2 3.5 1112486027", "1 29 3.5 1112484676", "2 2 4.0 974820889", "3 11 5.0 1112484700", "3 99 0.5 1112484701",
        ])
        XCTAssertEqual(dataset.item("29")?.fields, [
            "title": "City of Lost Children, The (Cité des enfants perdus, La)", "year": "1995",
            "genres": "Adventure, Drama, Fantasy, Mystery, Sci-Fi",
        ])
        XCTAssertEqual(dataset.item("11")?.title, "American President, The")
        XCTAssertEqual(dataset.item("99")?.fields, ["title": "The \"Quoted\" Movie", "year": "2001"])
        XCTAssertEqual(parsed.report.linesRead, 6 + 5)
    }

    func testGzippedFilesParseLikeThePlainOnes() throws {
        let plain = try loadDataset(at: Fixture.path("ml-csv"), name: "plain")
        let gzipped = try loadDataset(at: Fixture.path("ml-csv-gz"), name: "gzipped")
        XCTAssertEqual(gzipped.format, .movielensCSV)
        XCTAssertEqual(gzipped.dataset.rawInteractions, plain.dataset.rawInteractions)
        XCTAssertEqual(gzipped.dataset.items, plain.dataset.items)
        XCTAssertEqual(gzipped.sourceFiles.map { ($0.path as NSString).lastPathComponent }, ["ratings.csv.gz", "movies.csv.gz"])
    }

    func testProgressIsReportedWithTheTotalSize() throws {
        var reports: [ParseProgress] = []
        let parsed = try loadDataset(at: Fixture.path("ml-100k"), name: "progress") { reports.append($0) }
        let total = parsed.sourceFiles.reduce(0) { $0 + $1.byteSize }
        XCTAssertFalse(reports.isEmpty)
        XCTAssertLessThanOrEqual(reports.count, 6)
        XCTAssertEqual(reports.last?.bytesRead, total)
        XCTAssertEqual(reports.last?.totalBytes, total)
        XCTAssertEqual(reports.last?.fraction, 1)
        XCTAssertEqual(reports.last?.linesRead, 13)
    }
}
