import FeatureStore
import Foundation
import SeededRandom
import XCTest

final class SHA256Tests: XCTestCase {
    /// The FIPS 180-2 appendix B vectors plus the empty message.
    func testKnownAnswerVectors() {
        XCTAssertEqual(SHA256.hex(SHA256.hash([UInt8]())),
                       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(SHA256.hash(Array("abc".utf8))),
                       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex(SHA256.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        var million = SHA256()
        let thousand = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000)
        for _ in 0..<1_000 { million.update(thousand) }
        XCTAssertEqual(million.finalizeHex(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testHexAndStringInput() {
        XCTAssertEqual(SHA256.hex([0x00, 0x0f, 0xa0, 0xff]), "000fa0ff")
        var hasher = SHA256()
        hasher.update("ab")
        hasher.update("c")
        XCTAssertEqual(hasher.finalize(), SHA256.hash(Array("abc".utf8)))
        XCTAssertEqual(hasher.finalize(), hasher.finalize(), "finalize leaves the hasher unchanged")
    }

    /// Feeding a message in random pieces gives the digest of the whole message, for lengths
    /// around every padding boundary (55, 56, 63, 64, ...).
    func testStreamingInRandomPiecesMatchesOneShot() {
        var random = SplitMix64(seed: 7)
        for length in [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1_000, 4_099] {
            let message = random.bytes(length)
            let whole = SHA256.hash(message)
            var hasher = SHA256()
            var offset = 0
            while offset < length {
                let piece = Int.random(in: 1...80, using: &random)
                hasher.update(Array(message[offset..<min(length, offset + piece)]))
                offset += piece
            }
            XCTAssertEqual(hasher.finalize(), whole, "length \(length)")
        }
    }

    func testFileHashMatchesInMemoryHashAcrossChunkBoundaries() throws {
        let directory = makeTemporaryDirectory(self)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var random = SplitMix64(seed: 3)
        let contents = random.bytes((5 << 19) + 17)  // 2.5 MiB + 17: three 1 MiB reads, last partial
        let path = directory + "/blob.bin"
        try Data(contents).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(try SHA256.hash(fileAt: path), SHA256.hash(contents))
        XCTAssertThrowsError(try SHA256.hash(fileAt: directory + "/missing.bin"))
    }
}
