import Datasets
import Foundation
import XCTest

/// What fuzzing the readers found (README "Reliability: fuzzing"), each kept as a test: inputs under
/// `Fixtures/fuzz-regressions/`, or built here where the input is a one-line recipe.
final class FuzzRegressionTests: XCTestCase {
    // MARK: Deep nesting (LiteralParser recursed once per level: 100,000 `[` overflowed the stack)

    /// `levels` opening brackets, then as many closing ones.
    private func nested(_ levels: Int, open: String = "[", close: String = "]") -> String {
        String(repeating: open, count: levels) + String(repeating: close, count: levels)
    }

    func testDeepNestingIsASyntaxErrorNotAStackOverflow() {
        XCTAssertNoThrow(try StructuredValue.parse(nested(512), dialect: .json))
        XCTAssertThrowsError(try StructuredValue.parse(nested(513), dialect: .json)) { error in
            XCTAssertEqual((error as? StructuredValueSyntaxError)?.description,
                           "expected at most 512 nested lists and objects at column 513")
        }
        XCTAssertThrowsError(try StructuredValue.parse(nested(100_000), dialect: .json))
        XCTAssertThrowsError(try StructuredValue.parse(nested(100_000, open: "(", close: ")"), dialect: .python))
        XCTAssertThrowsError(try StructuredValue.parse(String(repeating: "{\"a\":", count: 100_000) + "1"
                                                       + String(repeating: "}", count: 100_000), dialect: .json))
    }

    func testDeeplyNestedLCRecDocumentsAreOneLineErrors() throws {
        let directory = try makeTemporaryDirectory(self)
        let interactions = (directory as NSString).appendingPathComponent("Deep.inter.json")
        try Data("{\"u1\": \(nested(100_000))}".utf8).write(to: URL(fileURLWithPath: interactions))
        assertDatasetError(try loadDataset(at: directory, format: .lcRec, name: "deep"),
                           "Deep.inter.json:1: expected a JSON object mapping user ids to lists of item ids: expected at most 512 nested lists and objects at column 520")

        try Data("{\"u1\": [\"i1\"]}".utf8).write(to: URL(fileURLWithPath: interactions))
        try Data("{\"i1\": {\"title\": \(nested(100_000))}}".utf8)
            .write(to: URL(fileURLWithPath: (directory as NSString).appendingPathComponent("Deep.item.json")))
        assertDatasetError(try loadDataset(at: directory, format: .lcRec, name: "deep"),
                           "Deep.item.json:1: expected a JSON object mapping item ids to objects of item fields: expected at most 512 nested lists and objects at column 529")
    }

    func testDeeplyNestedAmazonMetaLineIsALineError() throws {
        let directory = try makeTemporaryDirectory(self)
        try Data("{\"reviewerID\": \"u1\", \"asin\": \"i1\", \"overall\": 5.0, \"unixReviewTime\": 1}\n".utf8)
            .write(to: URL(fileURLWithPath: (directory as NSString).appendingPathComponent("Toys_5.json")))
        try Data("{\"asin\": \"i1\", \"category\": \(nested(100_000))}\n".utf8)
            .write(to: URL(fileURLWithPath: (directory as NSString).appendingPathComponent("meta_Toys.json")))
        assertDatasetError(try loadDataset(at: directory, format: .amazon2018, name: "deep"),
                           "meta_Toys.json:1: expected a valid value for category: expected at most 512 nested lists and objects at column 513")
    }

    // MARK: Damaged .gz input (a truncated file was reported as a JSON error on its last line)

    func testTruncatedGzipIsReportedAsTruncatedCompressedData() {
        let path = Fixture.path("fuzz-regressions/truncated-gz/Toys_5.json.gz")
        assertDatasetError(try loadDataset(at: path, format: .amazon2018, name: "cut"),
                           "\(path): compressed data is truncated or corrupt (gzip: unexpected end of file)")
        // Also when bad lines are skipped: the cut line is not silently dropped.
        assertDatasetError(try loadDataset(at: path, format: .amazon2018, name: "cut", options: ParseOptions(skipBadLines: true)),
                           "\(path): compressed data is truncated or corrupt (gzip: unexpected end of file)")
    }

    func testCorruptGzipIsReportedAsCorruptCompressedData() {
        let path = Fixture.path("fuzz-regressions/crc-gz/Toys_5.json.gz")
        assertDatasetError(try loadDataset(at: path, format: .amazon2018, name: "crc"),
                           "\(path): compressed data is truncated or corrupt (gzip: invalid compressed data--crc error)")
    }

    func testBadTextInIntactGzipKeepsItsLineNumber() {
        let path = Fixture.path("fuzz-regressions/bad-line-gz/Toys_5.json.gz")
        XCTAssertThrowsError(try loadDataset(at: path, format: .amazon2018, name: "bad")) { error in
            let error = error as? DatasetError
            XCTAssertEqual(error?.file, "Toys_5.json.gz")
            XCTAssertEqual(error?.line, 2)
            XCTAssertFalse(error?.reason.contains("compressed") ?? true, "\(String(describing: error))")
        }
    }

    // MARK: Resources (every .gz file read leaked gzip's stderr pipe: the fuzzer slowed down as
    // /proc/self/fd grew, and a long-lived process would run out of descriptors; gzip now runs
    // through posix_spawn, not Foundation's Process, which also leaked memory per run)

    func testReadingGzipFilesLeaksNoFileDescriptors() throws {
        func openDescriptors() throws -> Int {
            let entries = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")
            return entries.count
        }
        guard FileManager.default.fileExists(atPath: "/proc/self/fd") else { throw XCTSkip("no /proc/self/fd") }
        let good = Fixture.path("ml-csv-gz/ratings.csv.gz")
        let truncated = Fixture.path("fuzz-regressions/truncated-gz/Toys_5.json.gz")
        _ = try LineReader(path: good).forEachLine { _ in }
        let before = try openDescriptors()
        for _ in 0..<40 {
            _ = try LineReader(path: good).forEachLine { _ in }
            XCTAssertThrowsError(try LineReader(path: truncated).forEachLine { _ in })
            struct Stop: Error {}
            XCTAssertThrowsError(try LineReader(path: good).forEachLine { _ in throw Stop() })
        }
        XCTAssertLessThan(try openDescriptors() - before, 5, "120 .gz reads should leave no descriptors open")
    }
}
