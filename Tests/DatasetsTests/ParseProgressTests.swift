import Datasets
import Foundation
import XCTest

/// Progress reports agree with the lines counted: bytes read are never ahead of the lines by more
/// than the one unfinished line at the end of a read.
final class ParseProgressTests: XCTestCase {
    /// `count` fixed-width u.data lines (`user \t item \t rating \t timestamp`, 24 bytes each).
    private func writeFixedWidthUData(lines count: Int, in directory: String) throws -> Int {
        var text = ""
        text.reserveCapacity(count * 24)
        for index in 0..<count {
            text += "\(10_000 + index % 900)\t\(20_000 + index % 1_700)\t\(1 + index % 5)\t\(100_000_000 + index)\n"
        }
        try text.write(toFile: (directory as NSString).appendingPathComponent("u.data"), atomically: true, encoding: .utf8)
        return 24
    }

    func testLinesReadIsCurrentWheneverProgressIsDelivered() throws {
        let directory = try makeTemporaryDirectory(self)
        let lineCount = 150_000  // 3.6 MB: several 1 MiB reads
        let lineLength = try writeFixedWidthUData(lines: lineCount, in: directory)
        var reports: [ParseProgress] = []
        let parsed = try loadDataset(at: directory, format: .movielens100k, name: "progress") { reports.append($0) }
        XCTAssertEqual(parsed.dataset.interactions.count, lineCount)
        XCTAssertGreaterThanOrEqual(reports.count, 2)  // the first read, and the end of the file
        for report in reports {
            XCTAssertGreaterThan(report.linesRead, 0, "\(report)")
            let ahead = report.bytesRead - report.linesRead * lineLength
            XCTAssert((0..<lineLength).contains(ahead), "\(report.bytesRead) bytes read but \(report.linesRead) lines "
                      + "counted (\(Int(report.fraction * 100))%)")
        }
        XCTAssertEqual(reports.last?.linesRead, lineCount)
        XCTAssertEqual(reports.last?.fraction, 1)
    }

    /// `afterRead` runs after the lines of each read have been passed on.
    func testAfterReadFollowsTheLinesOfEachRead() throws {
        let directory = try makeTemporaryDirectory(self)
        let path = (directory as NSString).appendingPathComponent("lines.txt")
        let lines = (0..<1_000).map { String(repeating: "x", count: $0 % 37) }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let reader = try LineReader(path: path, bufferSize: 97)
        var bytesOfLinesSeen = 0, calls = 0
        try reader.forEachLine(afterRead: {
            calls += 1
            let pending = reader.bytesConsumed - bytesOfLinesSeen
            XCTAssert((0...37).contains(pending), "\(pending) bytes consumed beyond the lines seen")
        }) { line in
            bytesOfLinesSeen += line.bytes.count + 1
        }
        XCTAssertEqual(bytesOfLinesSeen, reader.fileSize)
        XCTAssertGreaterThan(calls, 100)
    }
}
