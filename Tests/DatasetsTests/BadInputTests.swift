import Datasets
import Foundation
import XCTest

/// Every kind of bad input gives one `DatasetError` line naming the file, the line and what was expected.
final class BadInputTests: XCTestCase {
    private let ratingsFields = "4 comma-separated fields (userId,movieId,rating,timestamp)"
    private let reviewKeys = "a JSON object with reviewerID, asin, overall and unixReviewTime"

    private func load(_ relative: String, _ format: DatasetFormat, options: ParseOptions = .init()) throws -> ParsedDataset {
        try loadDataset(at: Fixture.path(relative), format: format, name: "bad", options: options)
    }

    func testEmptyFile() {
        assertDatasetError(try load("bad/empty.csv", .movielensCSV), "empty.csv:1: expected \(ratingsFields), found an empty file")
    }

    func testTruncatedLastLine() {
        assertDatasetError(try load("bad/truncated.csv", .movielensCSV),
                           "truncated.csv:4: truncated last line: expected \(ratingsFields), found 2")
    }

    func testWrongFieldCount() {
        assertDatasetError(try load("bad/field-count.csv", .movielensCSV), "field-count.csv:3: expected \(ratingsFields), found 3")
    }

    func testNonNumericRatingAndTimestamp() {
        assertDatasetError(try load("bad/bad-rating.csv", .movielensCSV), #"bad-rating.csv:2: expected a number for rating, found "abc""#)
        assertDatasetError(try load("bad/bad-timestamp.csv", .movielensCSV),
                           #"bad-timestamp.csv:2: expected an integer for timestamp, found "11124x6027""#)
    }

    func testJSONSyntaxAndMissingKeys() {
        assertDatasetError(try load("bad/bad-syntax.json", .amazon2018),
                           "bad-syntax.json:1: expected \(reviewKeys): expected ':' at column 15")
        assertDatasetError(try load("bad/missing-key.json", .amazon2014),
                           "missing-key.json:1: expected \(reviewKeys), found no unixReviewTime")
    }

    func testInvalidUTF8() {
        assertDatasetError(try load("bad/invalid-utf8.json", .amazon2018),
                           "invalid-utf8.json:1: expected UTF-8 text and valid escapes in reviewerID and asin, found invalid bytes")
        assertDatasetError(try load("bad-utf8-movies", .movielensCSV), "movies.csv:2: expected UTF-8 text in title, found invalid bytes")
    }

    func testDirectoryWhereAFileIsExpected() throws {
        let directory = try makeTemporaryDirectory(self)
        try FileManager.default.createDirectory(atPath: "\(directory)/ratings.csv", withIntermediateDirectories: false)
        assertDatasetError(try loadDataset(at: directory, format: .movielensCSV, name: "bad"),
                           "\(directory)/ratings.csv: expected a file, found a directory")
    }

    func testMissingFiles() {
        assertDatasetError(try loadDataset(at: "/nonexistent/ratings.csv", name: "bad"),
                           "/nonexistent/ratings.csv: no such file or directory (expected a data file or a directory of them)")
        assertDatasetError(try loadDataset(at: "/nonexistent/ratings.csv", format: .movielensCSV, name: "bad"),
                           "/nonexistent/ratings.csv: no such file or directory (expected a data file or a directory of them)")
        let directory = Fixture.path("ml-1m")
        assertDatasetError(try loadDataset(at: directory, format: .movielensCSV, name: "bad"),
                           "\(directory): expected ratings.csv (the MovieLens ratings file) in the directory, not found")
    }

    func testCorruptGzip() {
        let path = Fixture.path("bad/corrupt.csv.gz")
        assertDatasetError(try loadDataset(at: path, format: .movielensCSV, name: "bad"),
                           "\(path): compressed data is truncated or corrupt (gzip: not in gzip format)")
    }

    func testSkipBadLinesCountsAndReports() throws {
        assertDatasetError(try load("bad/two-bad-lines.csv", .movielensCSV), "two-bad-lines.csv:3: expected \(ratingsFields), found 2")
        let parsed = try load("bad/two-bad-lines.csv", .movielensCSV, options: ParseOptions(skipBadLines: true))
        XCTAssertEqual(parsed.dataset.rawInteractions, ["1 2 3.5 1", "2 3 4.0 2", "4 5 1.0 4"])
        XCTAssertEqual(parsed.report.linesRead, 6)
        XCTAssertEqual(parsed.report.skippedLines, 2)
        XCTAssertEqual(parsed.report.skipReasons, [
            "two-bad-lines.csv:3: expected \(ratingsFields), found 2",
            #"two-bad-lines.csv:5: expected a number for rating, found "four""#,
        ])
        let capped = try load("bad/two-bad-lines.csv", .movielensCSV, options: ParseOptions(skipBadLines: true, maxReportedSkipReasons: 1))
        XCTAssertEqual(capped.report.skippedLines, 2)
        XCTAssertEqual(capped.report.skipReasons.count, 1)
    }

    // MARK: LC-Rec JSON documents

    private let lcRecInteractions = "a JSON object mapping user ids to lists of item ids"

    func testLCRecSyntaxErrorsNameTheLineAndColumn() {
        assertDatasetError(try load("lc-rec-bad/syntax.inter.json", .lcRec),
                           "syntax.inter.json:3: expected \(lcRecInteractions): expected ',' or ']' at column 13")
        assertDatasetError(try load("lc-rec-bad/truncated.inter.json", .lcRec),
                           "truncated.inter.json:4: expected \(lcRecInteractions): expected a closing bracket at column 10")
        assertDatasetError(try load("lc-rec-bad/trailing.inter.json", .lcRec),
                           "trailing.inter.json:4: expected \(lcRecInteractions): expected end of file at column 1")
        assertDatasetError(try load("lc-rec-bad/no-users.inter.json", .lcRec),
                           "no-users.inter.json:1: expected \(lcRecInteractions), found an object with no users")
    }

    func testLCRecBadUsers() {
        assertDatasetError(try load("lc-rec-bad/empty-list.inter.json", .lcRec),
                           #"empty-list.inter.json:5: user "7" has no items (expected a non-empty list of item ids)"#)
        assertDatasetError(try load("lc-rec-bad/not-list.inter.json", .lcRec),
                           #"not-list.inter.json:3: expected a list of item ids for user "7", found "12""#)
        assertDatasetError(try load("lc-rec-bad/bad-id.inter.json", .lcRec),
                           #"bad-id.inter.json:3: expected item ids as strings or integers for user "7", found 1.5"#)
        assertDatasetError(try load("lc-rec-bad/duplicate-user.inter.json", .lcRec),
                           #"duplicate-user.inter.json:4: user "1" occurs a second time (first at line 2); expected each user once"#)
    }

    func testLCRecItemFileProblems() {
        assertDatasetError(try load("lc-rec-missing-item", .lcRec),
                           #"Shop.inter.json:3: item "3" and 1 more have no record in Shop.item.json; expected every item of the interactions to be described there"#)
        assertDatasetError(try load("lc-rec-bad-record", .lcRec),
                           #"Shop.item.json:3: expected a JSON object of item fields for item "2", found "Two""#)
    }

    func testLCRecEmptyFile() throws {
        let directory = try makeTemporaryDirectory(self)
        try Data("\n\n".utf8).write(to: URL(fileURLWithPath: "\(directory)/Empty.inter.json"))
        assertDatasetError(try loadDataset(at: directory, name: "bad"),
                           "Empty.inter.json:1: expected \(lcRecInteractions), found an empty file")
    }
}
