import Crypto
import Foundation

/// SHA-256 (FIPS 180-4), streaming: `update` any number of times, then `finalize`.
///
/// The compression runs in swift-crypto (BoringSSL on Linux, CryptoKit on Apple platforms), which
/// uses the CPU's SHA extensions where it has them. Used for source-file checksums at ingest, export
/// part checksums and saved-model digests.
public struct SHA256: @unchecked Sendable {
    /// swift-crypto's hasher; its `finalize` leaves it unchanged (copy on write).
    private var hasher = Crypto.SHA256()

    /// A hasher with no input yet.
    public init() {}

    /// Feeds `bytes` into the hash.
    public mutating func update(_ bytes: some ContiguousBytes) {
        bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
    }

    /// Feeds the UTF-8 bytes of `string` into the hash.
    public mutating func update(_ string: String) {
        update(Array(string.utf8))
    }

    /// The 32-byte digest of everything fed so far (the hasher itself is left unchanged).
    public func finalize() -> [UInt8] {
        Array(hasher.finalize())
    }

    /// The digest as 64 lowercase hexadecimal characters.
    public func finalizeHex() -> String {
        Self.hex(finalize())
    }

    /// The digest of `bytes`.
    public static func hash(_ bytes: some ContiguousBytes) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The digest of `bytes` as 64 lowercase hexadecimal characters.
    public static func hexDigest(of bytes: some ContiguousBytes) -> String {
        hex(hash(bytes))
    }

    /// `bytes` as lowercase hexadecimal, two characters per byte.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
