import Datasets
import XCTest

final class StructuredValueTests: XCTestCase {
    func testPythonLiteralSubset() throws {
        let text = #"{'asin': '0001', "title": "Children's \"Best\"", 'price': 3.17, 'n': -2, 'ok': True, 'no': False, 'none': None, 'categories': [['A', 'B'], ['C']], 'pair': ('x', 1,), 'escaped': 'caf\xe9 \u2603 \U0001F600 a\\b\tc\'d'}"#
        let value = try StructuredValue.parse(text, dialect: .python)
        guard case .dictionary(let entries) = value else { return XCTFail("expected a dictionary") }
        XCTAssertEqual(entries["asin"], .string("0001"))
        XCTAssertEqual(entries["title"], .string("Children's \"Best\""))
        XCTAssertEqual(entries["price"], .number(3.17))
        XCTAssertEqual(entries["n"], .number(-2))
        XCTAssertEqual(entries["ok"], .bool(true))
        XCTAssertEqual(entries["no"], .bool(false))
        XCTAssertEqual(entries["none"], .null)
        XCTAssertEqual(entries["categories"], .list([.list([.string("A"), .string("B")]), .list([.string("C")])]))
        XCTAssertEqual(entries["pair"], .list([.string("x"), .number(1)]))
        XCTAssertEqual(entries["escaped"], .string("café ☃ 😀 a\\b\tc'd"))
        XCTAssertEqual(entries["categories"]?.flattenedStrings, ["A", "B", "C"])
    }

    func testJSON() throws {
        let value = try StructuredValue.parse(#"{"a": [1, 2.5, "x\u00e9\ud83d\ude00\n"], "b": {"c": null, "d": true}, "e": false}"#, dialect: .json)
        XCTAssertEqual(value, .dictionary([
            "a": .list([.number(1), .number(2.5), .string("xé😀\n")]),
            "b": .dictionary(["c": .null, "d": .bool(true)]),
            "e": .bool(false),
        ]))
        XCTAssertEqual(value.flattenedStrings, ["1", "2.5", "xé😀\n"])
    }

    func testSyntaxErrorsNameTheColumn() {
        let cases: [(String, StructuredValue.Dialect, String)] = [
            (#"{"a" 1}"#, .json, "expected ':' at column 6"),
            (#"{"a": 1"#, .json, "expected ',' or '}' at column 8"),
            (#"['a', 'b'"#, .python, "expected ',' or ']' at column 10"),
            (#"{'a': 'open}"#, .python, "expected a closing ' for the string at column 7"),
            (#"{'a': True}"#, .json, "expected a value at column 2"),
            (#"{"a": True}"#, .json, "expected a value at column 7"),
            (#"{"a": 1} x"#, .json, "expected end of line at column 10"),
            (#"("a",)"#, .json, "expected a value at column 1"),
        ]
        for (text, dialect, message) in cases {
            XCTAssertThrowsError(try StructuredValue.parse(text, dialect: dialect), text) { error in
                XCTAssertEqual((error as? StructuredValueSyntaxError)?.description, message, text)
            }
        }
    }
}
