import Datasets
import Foundation
import SeededRandom
import XCTest

final class LineReaderTests: XCTestCase {
    private func lines(of path: String, bufferSize: Int = 1 << 20) throws -> [(String, Int, Bool)] {
        var result: [(String, Int, Bool)] = []
        try LineReader(path: path, bufferSize: bufferSize).forEachLine { line in
            result.append((String(decoding: line.bytes, as: UTF8.self), line.number, line.isTerminated))
        }
        return result
    }

    func testStripsCarriageReturnsAndNumbersLines() throws {
        let result = try lines(of: Fixture.path("ml-1m/users.dat"))
        XCTAssertEqual(result.map(\.0), ["1::F::1::10::48067", "2::M::56::16::70072"])
        XCTAssertEqual(result.map(\.1), [1, 2])
        XCTAssertEqual(result.map(\.2), [true, true])
    }

    func testMarksAnUnterminatedLastLine() throws {
        let result = try lines(of: Fixture.path("bad/truncated.csv"))
        XCTAssertEqual(result.count, 4)
        XCTAssertEqual(result.last!.0, "3,11")
        XCTAssertEqual(result.map(\.2), [true, true, true, false])
    }

    func testStreamsGzipLikeThePlainFile() throws {
        let plain = try lines(of: Fixture.path("ml-csv/ratings.csv"))
        let gzipped = try lines(of: Fixture.path("ml-csv-gz/ratings.csv.gz"), bufferSize: 7)
        XCTAssertEqual(gzipped.map(\.0), plain.map(\.0))
        XCTAssertEqual(gzipped.map(\.2), plain.map(\.2))
    }

    func testStoppingEarlyOnGzipRethrowsTheCallersError() throws {
        struct Enough: Error {}
        var seen: [String] = []
        XCTAssertThrowsError(try LineReader(path: Fixture.path("ml-csv-gz/movies.csv.gz")).forEachLine { line in
            seen.append(String(decoding: line.bytes, as: UTF8.self))
            throw Enough()
        }) { XCTAssertTrue($0 is Enough, "\($0)") }
        XCTAssertEqual(seen, ["movieId,title,genres"])
    }

    func testCorruptGzipIsAnError() {
        let path = Fixture.path("bad/corrupt.csv.gz")
        assertDatasetError(try lines(of: path), "\(path): compressed data is truncated or corrupt (gzip: not in gzip format)")
    }

    func testMissingFileAndDirectoryAreErrors() throws {
        assertDatasetError(try LineReader(path: "/nonexistent/ratings.csv"),
                           "/nonexistent/ratings.csv: no such file (expected a readable data file)")
        let directory = try makeTemporaryDirectory(self)
        assertDatasetError(try LineReader(path: directory), "\(directory): expected a file, found a directory")
    }

    /// Random contents (empty lines, CRLF, long lines, with or without a final newline) read with
    /// random small buffers give exactly the lines a plain split gives.
    func testMatchesAPlainSplitForRandomContentAndBufferSizes() throws {
        let directory = try makeTemporaryDirectory(self)
        var seeded = SplitMix64(seed: 7)
        for trial in 0..<40 {
            var text = ""
            for _ in 0..<Int.random(in: 0...30, using: &seeded) {
                let length = Int.random(in: 0...3, using: &seeded) == 0 ? Int.random(in: 0...300, using: &seeded) : Int.random(in: 0...12, using: &seeded)
                text += String((0..<length).map { _ in "abc,é\t".randomElement(using: &seeded)! })
                text += Bool.random(using: &seeded) ? "\n" : "\r\n"
            }
            if Bool.random(using: &seeded) { text += "tail" }
            let path = "\(directory)/trial\(trial).txt"
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            var expected = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { bytes in
                String(decoding: bytes.last == UInt8(ascii: "\r") ? bytes.dropLast() : bytes, as: UTF8.self)
            }
            if expected.last == "" { expected.removeLast() }
            let bufferSize = Int.random(in: 1...64, using: &seeded)
            let result = try lines(of: path, bufferSize: bufferSize)
            XCTAssertEqual(result.map(\.0), expected, "trial \(trial), buffer \(bufferSize)")
            XCTAssertEqual(result.map(\.1), expected.indices.map { $0 + 1 })
            XCTAssertEqual(result.last?.2 ?? true, !text.hasSuffix("tail"))
        }
    }
}

