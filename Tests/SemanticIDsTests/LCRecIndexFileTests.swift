import Foundation
import SeededRandom
import SemanticIDs
import XCTest

/// LC-Rec index files (`X.index.json`): parsing, every bad case's message, rendering and writing.
final class LCRecIndexFileTests: XCTestCase {
    /// `Fixtures/index/<name>` inside the test bundle.
    private func fixture(_ name: String) -> String {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("index/\(name)").path
    }

    /// Asserts that `expression` throws a `SemanticIDError` whose description is exactly `message`, on one line.
    private func assertIndexError<T>(_ expression: @autoclosure () throws -> T, _ message: String,
                                     file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try expression(), file: file, line: line) { error in
            guard let error = error as? SemanticIDError else {
                return XCTFail("expected a SemanticIDError, got \(error)", file: file, line: line)
            }
            XCTAssertEqual(error.description, message, file: file, line: line)
            XCTAssertFalse(error.description.contains("\n"), "one line", file: file, line: line)
        }
    }

    private func parse(_ text: String) throws -> LCRecIndexFile {
        try LCRecIndexFile.parse(Data(text.utf8), path: "x.index.json")
    }

    func testReadsPrettyPrintedFileInOrder() throws {
        let index = try LCRecIndexFile.read(path: fixture("good.index.json"))
        XCTAssertEqual(index.entries, [
            .init(itemID: "0", codes: [3, 0, 7]), .init(itemID: "B00X", codes: [1, 2, 0]),
            .init(itemID: "id \"q\" é", codes: [300, 2, 0]),
        ])
        let codes = try index.codes(forItemIDs: ["B00X", "id \"q\" é", "0"])
        XCTAssertEqual(codes.codes, [1, 2, 0, 300, 2, 0, 3, 0, 7], "rows in catalogue order")
        XCTAssertEqual(codes.codebookSizes, [301, 256, 256], "max + 1, at least the minimum")
        XCTAssertEqual(try index.codes(forItemIDs: ["B00X", "id \"q\" é", "0"], minimumCodebookSize: 1).codebookSizes, [301, 3, 8])
    }

    func testRenderMatchesLCRecLayoutAndRoundTrips() throws {
        let codes = try SemanticIDCodes(codes: [159, 42, 1, 0, 7, 0, 12, 3], codebookSizes: [256, 256, 256, 256])
        let ids = ["17", "a\"b\\c\n"]
        let text = LCRecIndexFile.render(codes, itemIDs: ids)
        XCTAssertEqual(text, #"{"17": ["<a_159>", "<b_42>", "<c_1>", "<d_0>"], "a\"b\\c\n": ["<a_7>", "<b_0>", "<c_12>", "<d_3>"]}"#)
        let parsed = try parse(text)
        XCTAssertEqual(parsed.entries.map(\.itemID), ids)
        XCTAssertEqual(try parsed.codes(forItemIDs: ids), codes)
        XCTAssertEqual(LCRecIndexFile.render(try SemanticIDCodes(codes: [], codebookSizes: [4]), itemIDs: []), "{}")
    }

    func testWriteReplacesTheFileWhole() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("llmrec-index-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("Shop.index.json").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        let codes = try SemanticIDCodes(codes: [1, 2, 3, 4], codebookSizes: [8, 8])
        try LCRecIndexFile.write(codes, itemIDs: ["x", "y"], to: path)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), #"{"x": ["<a_1>", "<b_2>"], "y": ["<a_3>", "<b_4>"]}"#)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["Shop.index.json"], "no temporary file left")
        XCTAssertEqual(try LCRecIndexFile.read(path: path).codes(forItemIDs: ["x", "y"], minimumCodebookSize: 8), codes)
        XCTAssertThrowsError(try LCRecIndexFile.write(codes, itemIDs: ["x"], to: path))
    }

    func testBadFilesNameFileLineAndWhatWasExpected() {
        let cases: [(String, String)] = [
            ("not-object.index.json", "line 1: expected a JSON object mapping item ids to lists of code tokens, found a list"),
            ("not-list.index.json", #"line 3: expected a list of strings for item "1", found a string"#),
            ("number-in-list.index.json", #"line 1: expected a list of strings for item "0", found a number in it"#),
            ("bad-token.index.json",
             #"line 1: expected a code token "<x_N>" (x the level's letter, N a non-negative integer) for item "0", found "<b-2>""#),
            ("level-order.index.json", #"line 3: expected <b_N> at level 2 for item "1", found "<c_3>""#),
            ("ragged.index.json", #"line 2: item "17" has 3 codes, expected 4 like the first item"#),
            ("duplicate.index.json", #"line 4: item "5" occurs a second time (first at line 2); expected each item once"#),
        ]
        for (name, reason) in cases {
            let path = fixture(name)
            assertIndexError(try LCRecIndexFile.read(path: path), "\(path): \(reason)")
        }
        assertIndexError(try LCRecIndexFile.read(path: "/nonexistent/x.index.json"),
                         "/nonexistent/x.index.json: no such file (expected an LC-Rec index file)")
    }

    func testMoreSyntaxErrors() {
        let cases: [(String, String)] = [
            ("", "line 1: expected a JSON object mapping item ids to lists of code tokens, found an empty file"),
            ("  \n", "line 2: expected a JSON object mapping item ids to lists of code tokens, found the end of the file"),
            (#"{"0": ["<a_1>"]"#, "line 1: expected ',' or '}', found the end of the file"),
            ("{\"0\": [\"<a_1>\"]}\n[]", "line 2: expected the end of the file after the object, found a list"),
            (#"{"0": ["<a_1>"], 7: []}"#, "line 1: expected a quoted item id, found a number"),
            (#"{"0" ["<a_1>"]}"#, "line 1: expected ':' after the item id, found a list"),
            (#"{"0": []}"#, #"line 1: item "0" has no codes (expected one token per level)"#),
            (#"{"0": ["<a_1>" "<b_1>"]}"#, "line 1: expected ',' or ']', found a string"),
            (#"{"0": ["<a_1"#, #"line 1: expected a closing '"' for the string"#),
            (#"{"0": ["<a_\q>"]}"#, #"line 1: expected a valid escape in the string, found "\\q""#),
            (#"{"0": ["<a_\u12>"]}"#, #"line 1: expected four hex digits after \u"#),
            (#"{"0": ["<a_2147483648>"]}"#, #"line 1: code of "<a_2147483648>" for item "0" exceeds 2147483647"#),
            (#"{"0": ["<A_1>"]}"#,
             #"line 1: expected a code token "<x_N>" (x the level's letter, N a non-negative integer) for item "0", found "<A_1>""#),
            (#"{"0": ["<a_>"]}"#,
             #"line 1: expected a code token "<x_N>" (x the level's letter, N a non-negative integer) for item "0", found "<a_>""#),
        ]
        for (text, reason) in cases { assertIndexError(try parse(text), "x.index.json: \(reason)") }
        XCTAssertEqual(try parse(#"{"\u0041\ud83d\ude00": ["\u003ca_1>"]}"#).entries, [.init(itemID: "A😀", codes: [1])], "escapes decoded")
        XCTAssertEqual(try parse(" {\r\n}\r\n").entries, [])
    }

    func testCatalogueMismatches() throws {
        let index = try parse(#"{"1": ["<a_1>"], "2": ["<a_2>"], "x": ["<a_0>"], "y": ["<a_0>"], "z": ["<a_0>"], "u": ["<a_0>"], "v": ["<a_0>"]}"#)
        assertIndexError(try index.codes(forItemIDs: ["1", "2"]),
                         #"x.index.json: 5 index items are not in the catalogue: "x", "y", "z", "u", "v""#)
        assertIndexError(try index.codes(forItemIDs: ["1", "2", "x", "y", "z", "u"]),
                         #"x.index.json: 1 index item is not in the catalogue: "v""#)
        let small = try parse(#"{"1": ["<a_1>"]}"#)
        assertIndexError(try small.codes(forItemIDs: ["1", "2", "3"]), #"x.index.json: 2 catalogue items have no code in the index: "2", "3""#)
        assertIndexError(try parse("{}").codes(forItemIDs: []), "x.index.json: the index has no levels (expected at least one code per item)")
        assertIndexError(try LCRecIndexFile(entries: [.init(itemID: "a", codes: [1]), .init(itemID: "a", codes: [2])]).codes(forItemIDs: ["a"]),
                         #"index: item "a" occurs more than once (expected each item once)"#)
        assertIndexError(try LCRecIndexFile(entries: [.init(itemID: "a", codes: [1]), .init(itemID: "b", codes: [])]).codes(forItemIDs: ["a", "b"]),
                         #"index: item "b" has 0 codes, expected 1 like the first item"#)
    }

    /// Random edits of a good file end in an index or a one-line error, never a trap.
    func testMutatedFilesNeverTrap() throws {
        let good = Array(#"{"0": ["<a_3>", "<b_0>"], "B\u00e9": ["<a_1>", "<b_2>"]}"#.utf8)
        let alphabet = Array(#"{}[]",:<>_ab0129\u"#.utf8) + [0x0A, 0x20, 0xFF, 0x00]
        var random = SplitMix64(seed: 7)
        for _ in 0..<3000 {
            var bytes = good
            for _ in 0..<(1 + random.nextIndex(below: 3)) {
                let position = random.nextIndex(below: bytes.count + 1)
                switch random.nextIndex(below: 3) {
                case 0 where position < bytes.count: bytes.remove(at: position)
                case 1 where position < bytes.count: bytes[position] = alphabet[random.nextIndex(below: alphabet.count)]
                default: bytes.insert(alphabet[random.nextIndex(below: alphabet.count)], at: position)
                }
            }
            do {
                let index = try LCRecIndexFile.parse(Data(bytes), path: "fuzz")
                _ = try? index.codes(forItemIDs: index.entries.map(\.itemID))
            } catch let error as SemanticIDError {
                XCTAssertFalse(error.description.contains("\n"))
            }
        }
    }

    /// The index APAO published for Amazon Office (`../shared/data/amazon-office`).
    func testPublishedOfficeIndex() throws {
        var root = URL(fileURLWithPath: #filePath)
        while root.path != "/" && !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
            root.deleteLastPathComponent()
        }
        let path = root.deletingLastPathComponent().appendingPathComponent("shared/data/amazon-office/Office.index.rq-kmeans.json").path
        guard FileManager.default.fileExists(atPath: path) else {
            throw XCTSkip("../shared/data/amazon-office is absent: the Amazon Office data set is not part of the repository")
        }
        let index = try LCRecIndexFile.read(path: path)
        XCTAssertEqual(index.entries.count, 2420)
        XCTAssertEqual(index.entries.first, .init(itemID: "0", codes: [159, 42, 1, 0]))
        let itemIDs = (0..<2420).map(String.init)
        let codes = try index.codes(forItemIDs: itemIDs)
        XCTAssertEqual(codes.count, 2420)
        XCTAssertEqual(codes.levels, 4)
        XCTAssertEqual(codes.codebookSizes, [256, 256, 256, 256])
        XCTAssertEqual(codes.groupsSharingCode().count, 2415, "distinct tuples")
        XCTAssertEqual(LCRecIndexFile.render(codes, itemIDs: itemIDs), try String(contentsOfFile: path, encoding: .utf8),
                       "rendering gives the published file byte for byte")
    }
}
