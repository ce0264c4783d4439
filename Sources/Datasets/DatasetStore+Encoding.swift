/// Interactions packed as fixed 20-byte little-endian records:
/// user Int32 (offset 0), item Int32 (4), rating Float32 bits (8), timestamp Int64 (12).
enum InteractionRecordCodec {
    static let recordByteCount = 20
    /// Records per stored value: 65,536 records = 1.25 MiB per chunk.
    static let recordsPerChunk = 65_536

    /// Writes `interactions` into `buffer` (`interactions.count * recordByteCount` bytes).
    static func encode(_ interactions: ArraySlice<Interaction>, into buffer: UnsafeMutableRawBufferPointer) {
        precondition(buffer.count == interactions.count * recordByteCount)
        var offset = 0
        for interaction in interactions {
            buffer.storeBytes(of: interaction.user.littleEndian, toByteOffset: offset, as: Int32.self)
            buffer.storeBytes(of: interaction.item.littleEndian, toByteOffset: offset + 4, as: Int32.self)
            buffer.storeBytes(of: interaction.rating.bitPattern.littleEndian, toByteOffset: offset + 8, as: UInt32.self)
            buffer.storeBytes(of: interaction.timestamp.littleEndian, toByteOffset: offset + 12, as: Int64.self)
            offset += recordByteCount
        }
    }

    /// Decodes every record of `buffer` (a multiple of `recordByteCount` bytes) into `destination`.
    static func decode(_ buffer: UnsafeRawBufferPointer, into destination: UnsafeMutableBufferPointer<Interaction>) {
        precondition(buffer.count == destination.count * recordByteCount)
        for index in destination.indices {
            let offset = index * recordByteCount
            destination.initializeElement(at: index, to: Interaction(
                user: Int32(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: Int32.self)),
                item: Int32(littleEndian: buffer.loadUnaligned(fromByteOffset: offset + 4, as: Int32.self)),
                rating: Float(bitPattern: UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self))),
                timestamp: Int64(littleEndian: buffer.loadUnaligned(fromByteOffset: offset + 12, as: Int64.self))))
        }
    }
}

/// One item or user as a length-prefixed record: a flag byte (1 when the source described the id,
/// 0 when only the id is known), the raw id, then when flagged a pair count and the key/value
/// pairs sorted by key. Strings are a UInt32 little-endian byte count followed by UTF-8 bytes.
enum TextRecordCodec {
    /// Replaces the contents of `bytes` with the record of `id` and its `fields` (nil: not described).
    static func encode(id: String, fields: [String: String]?, into bytes: inout [UInt8]) {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(fields == nil ? 0 : 1)
        appendString(id, to: &bytes)
        guard let fields else { return }
        appendCount(fields.count, to: &bytes)
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
            appendString(key, to: &bytes)
            appendString(value, to: &bytes)
        }
    }

    /// The id and fields of a record, or nil when `buffer` is not a well-formed record.
    static func decode(_ buffer: UnsafeRawBufferPointer) -> (id: String, fields: [String: String]?)? {
        var reader = Reader(buffer: buffer)
        guard let flag = reader.byte(), flag <= 1, let id = reader.string() else { return nil }
        guard flag == 1 else { return reader.isAtEnd ? (id, nil) : nil }
        guard let count = reader.count() else { return nil }
        var fields: [String: String] = [:]
        for _ in 0..<count {
            guard let key = reader.string(), let value = reader.string() else { return nil }
            fields[key] = value
        }
        return reader.isAtEnd ? (id, fields) : nil
    }

    private static func appendCount(_ count: Int, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: UInt32(count).littleEndian) { bytes.append(contentsOf: $0) }
    }

    private static func appendString(_ string: String, to bytes: inout [UInt8]) {
        appendCount(string.utf8.count, to: &bytes)
        bytes.append(contentsOf: string.utf8)
    }

    /// Reads a record front to back; every read returns nil past the end.
    private struct Reader {
        let buffer: UnsafeRawBufferPointer
        var offset = 0

        var isAtEnd: Bool { offset == buffer.count }

        mutating func byte() -> UInt8? {
            guard offset < buffer.count else { return nil }
            defer { offset += 1 }
            return buffer[offset]
        }

        mutating func count() -> Int? {
            guard buffer.count - offset >= 4 else { return nil }
            defer { offset += 4 }
            return Int(UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        }

        mutating func string() -> String? {
            guard let length = count(), buffer.count - offset >= length else { return nil }
            defer { offset += length }
            return String(decoding: UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + length]), as: UTF8.self)
        }
    }
}
