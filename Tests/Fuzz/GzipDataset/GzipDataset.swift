// Fuzzes the `.gz` path of `loadDataset` (the file is decompressed by a `gzip -dc` child process):
// compressed input that is cut short, corrupt or followed by garbage must be reported as
// `<file>.gz: compressed data is truncated or corrupt (...)` without a line number, and intact
// compressed input whose text is bad as a line error, never as corrupt compressed data.
//
// Input: a target byte (`% 3`: MovieLens CSV ratings, Amazon 2018 reviews, LC-Rec interactions), a
// mode byte, and the rest. Mode (`% 5`): 0, the rest is the `.gz` file as is; 1, the rest is text,
// stored in an intact gzip file; 2, the same file cut to (next two bytes, big-endian) modulo its
// length; 3, the same file with one byte after the 10-byte header inverted (position from the
// next two bytes); 4, the same file followed by garbage.
import Datasets
import Foundation

let targets: [(format: DatasetFormat, name: String)] = [
    (.movielensCSV, "ratings.csv.gz"), (.amazon2018, "Toys_5.json.gz"), (.lcRec, "Shop.inter.json.gz"),
]
let scratch = ScratchDirectory("GzipDataset")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 2 else { return 0 }
    let bytes = FuzzInput.bytes(data, size)
    let target = targets[Int(bytes[0]) % targets.count]
    let mode = Int(bytes[1]) % 5
    var file: [UInt8]
    if mode == 0 {
        file = Array(bytes[2...])
    } else {
        let position = size >= 4 ? Int(bytes[2]) << 8 | Int(bytes[3]) : 0
        file = Gzip.stored(mode == 1 ? Array(bytes[2...]) : Array(bytes[min(4, size)...]))
        switch mode {
        case 2: file.removeLast(file.count - position % file.count)
        case 3: file[10 + position % (file.count - 10)] ^= 0xFF
        case 4: file += Array("garbage\n".utf8)
        default: break
        }
    }
    let directory = scratch.directory(target.format.rawValue, removing: [target.name])
    scratch.write(file, to: directory, as: target.name)
    do {
        _ = try loadDataset(at: directory, format: target.format, name: "fuzz")
        if mode >= 2 { violation("damaged compressed data (mode \(mode)) was read without an error") }
    } catch {
        expectError(error, isOneOf: [DatasetError.self], context: "loadDataset(\(target.name))")
        let error = error as! DatasetError
        let isCompressedError = error.reason.hasPrefix("compressed data is truncated or corrupt")
        if mode >= 2, !isCompressedError || error.line != nil {
            violation("damaged compressed data (mode \(mode)) reported as: \(error)")
        }
        if mode == 1, isCompressedError {
            violation("intact compressed data reported as: \(error)")
        }
    }
    return 0
}

/// Gzip files written without compression (stored deflate blocks), so the harness needs no zlib.
enum Gzip {
    /// A gzip file (RFC 1952) holding `text` in stored blocks of at most 65,535 bytes.
    static func stored(_ text: [UInt8]) -> [UInt8] {
        var file: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3]
        var offset = 0
        repeat {
            let count = min(65_535, text.count - offset)
            file.append(offset + count == text.count ? 1 : 0)
            file += [UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF), UInt8((~count >> 8) & 0xFF)]
            file += text[offset..<offset + count]
            offset += count
        } while offset < text.count
        file += littleEndian(crc32(text)) + littleEndian(UInt32(truncatingIfNeeded: text.count))
        return file
    }

    private static func littleEndian(_ value: UInt32) -> [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    private static let table: [UInt32] = (0..<256).map { index in
        (0..<8).reduce(UInt32(index)) { crc, _ in crc & 1 != 0 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
    }

    /// CRC-32 (ISO 3309, as gzip uses it).
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        ~bytes.reduce(~UInt32(0)) { crc, byte in table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    }
}
