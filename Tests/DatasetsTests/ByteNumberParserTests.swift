import Datasets
import Foundation
import SeededRandom
import XCTest

final class ByteNumberParserTests: XCTestCase {
    private func int(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8(ByteNumberParser.parseInt64)
    }

    private func double(_ text: String) -> Double? {
        var text = text
        return text.withUTF8(ByteNumberParser.parseDouble)
    }

    func testIntegers() {
        XCTAssertEqual(int("0"), 0)
        XCTAssertEqual(int("881250949"), 881_250_949)
        XCTAssertEqual(int("-17"), -17)
        XCTAssertEqual(int("+5"), 5)
        XCTAssertEqual(int("9223372036854775807"), Int64.max)
        XCTAssertNil(int("9223372036854775808"))
        XCTAssertNil(int(""))
        XCTAssertNil(int("-"))
        XCTAssertNil(int("12x"))
        XCTAssertNil(int("3.0"))
    }

    func testPlainDecimalsAndFallbacks() {
        XCTAssertEqual(double("3.5"), 3.5)
        XCTAssertEqual(double("4"), 4)
        XCTAssertEqual(double("0.5"), 0.5)
        XCTAssertEqual(double("-0.25"), -0.25)
        XCTAssertEqual(double("1e3"), 1000)
        XCTAssertEqual(double("2.5E-2"), 0.025)
        XCTAssertEqual(double(".5"), 0.5)
        XCTAssertEqual(double("5."), 5)
        XCTAssertEqual(double("1e300"), 1e300)
        XCTAssertEqual(double("0.1000000000000000055511151231257827"), 0.1)
        XCTAssertEqual(double("0x10"), 16)
        for bad in ["", "abc", "1.2.3", "1e", "e5", "-", " 4", "4 ", "nan", "inf", "1e999", "3,5"] {
            XCTAssertNil(double(bad), bad)
        }
    }

    /// Random decimals in the shapes data files use parse exactly like `strtod`.
    func testAgreesWithStrtodOnRandomDecimals() {
        var random = SplitMix64(seed: 11)
        for _ in 0..<20_000 {
            let integerDigits = String((0..<Int.random(in: 1...10, using: &random)).map { _ in "0123456789".randomElement(using: &random)! })
            var text = (Bool.random(using: &random) ? "-" : "") + integerDigits
            if Bool.random(using: &random) {
                text += "." + String((0..<Int.random(in: 0...12, using: &random)).map { _ in "0123456789".randomElement(using: &random)! })
            }
            if Int.random(in: 0..<4, using: &random) == 0 { text += "e\(Int.random(in: -30...30, using: &random))" }
            XCTAssertEqual(double(text), strtod(text, nil), text)
            XCTAssertEqual(double(text).map(Float.init), Float(strtod(text, nil)), text)
        }
    }
}
