import FeatureStore
import SeededRandom
import XCTest

final class StoreKeyTests: XCTestCase {
    func testHandWrittenEncodings() {
        XCTAssertEqual(StoreKey.bigEndian(UInt32(0x0102_0304)), [1, 2, 3, 4])
        XCTAssertEqual(StoreKey.bigEndian(UInt16(258)), [1, 2])
        XCTAssertEqual(StoreKey.bigEndian(UInt64(1)), [0, 0, 0, 0, 0, 0, 0, 1])
        XCTAssertEqual(StoreKey.prefix("é"), [0xC3, 0xA9, 0])
        XCTAssertEqual(StoreKey.utf8("ab"), [0x61, 0x62])
        XCTAssertEqual(StoreKey.readBigEndian(UInt32.self, from: [9, 1, 2, 3, 4], at: 1), 0x0102_0304)
        XCTAssertNil(StoreKey.readBigEndian(UInt32.self, from: [1, 2, 3]))
    }

    /// Byte order of big-endian keys equals numeric order, and decoding inverts encoding.
    func testBigEndianKeysSortLikeTheirNumbers() {
        var random = SplitMix64(seed: 11)
        for _ in 0..<1_000 {
            let a = UInt64.random(in: 0...UInt64.max >> UInt64.random(in: 0...63, using: &random), using: &random)
            let b = UInt64.random(in: 0...UInt64.max >> UInt64.random(in: 0...63, using: &random), using: &random)
            XCTAssertEqual(StoreKey.bigEndian(a).lexicographicallyPrecedes(StoreKey.bigEndian(b)), a < b)
            XCTAssertEqual(StoreKey.readBigEndian(UInt64.self, from: StoreKey.bigEndian(a)), a)
        }
    }
}
