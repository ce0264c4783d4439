/// Maps raw ids (as text) to dense `Int32` indices in first-seen order.
///
/// Canonical decimal integers (`0`, `17`, not `017` or `+17`) take a fast path that never creates
/// a `String` for an id seen before: a direct table for values below 2^22, a dictionary above.
/// Other ids go through a `[String: Int32]` dictionary. Both paths agree on every id.
struct RawIDIndex {
    /// `rawIDs[index]` is the raw id given that index.
    private(set) var rawIDs: [String] = []
    private var smallIntegers: [Int32] = []
    private var largeIntegers: [Int64: Int32] = [:]
    private var strings: [String: Int32] = [:]
    private static let smallIntegerLimit: Int64 = 1 << 22

    /// The index of the id spelled by `bytes` (UTF-8), adding it if new; nil for invalid UTF-8.
    mutating func index(forRawID bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        if let value = Self.canonicalInteger(bytes) { return index(forInteger: value) }
        guard let text = TextDecoding.utf8(bytes) else { return nil }
        return index(forString: text)
    }

    /// The index of `rawID`, adding it if new.
    mutating func index(forRawID rawID: String) -> Int32 {
        var text = rawID
        if let value = text.withUTF8(Self.canonicalInteger) { return index(forInteger: value) }
        return index(forString: rawID)
    }

    /// The index of `rawID` if it was seen, without adding it.
    func existingIndex(forRawID rawID: String) -> Int32? {
        var text = rawID
        guard let value = text.withUTF8(Self.canonicalInteger) else { return strings[rawID] }
        if value < Self.smallIntegerLimit {
            let slot = Int(value)
            return slot < smallIntegers.count && smallIntegers[slot] >= 0 ? smallIntegers[slot] : nil
        }
        return largeIntegers[value]
    }

    private mutating func index(forInteger value: Int64) -> Int32 {
        if value < Self.smallIntegerLimit {
            let slot = Int(value)
            if slot >= smallIntegers.count {
                smallIntegers.append(contentsOf: repeatElement(-1, count: max(slot + 1, smallIntegers.count * 2) - smallIntegers.count))
            }
            if smallIntegers[slot] >= 0 { return smallIntegers[slot] }
            let index = appendRawID(String(value))
            smallIntegers[slot] = index
            return index
        }
        if let index = largeIntegers[value] { return index }
        let index = appendRawID(String(value))
        largeIntegers[value] = index
        return index
    }

    private mutating func index(forString text: String) -> Int32 {
        if let index = strings[text] { return index }
        let index = appendRawID(text)
        strings[text] = index
        return index
    }

    private mutating func appendRawID(_ rawID: String) -> Int32 {
        precondition(rawIDs.count < Int(Int32.max), "more than Int32.max distinct ids")
        rawIDs.append(rawID)
        return Int32(rawIDs.count - 1)
    }

    /// The value of a canonical non-negative decimal integer of at most 18 digits, else nil.
    private static func canonicalInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard !bytes.isEmpty, bytes.count <= 18, bytes[0] != UInt8(ascii: "0") || bytes.count == 1 else { return nil }
        var value: Int64 = 0
        for byte in bytes {
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int64(digit)
        }
        return value
    }
}
