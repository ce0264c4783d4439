/// Helpers that build byte keys whose lexical (memcmp) order matches the intended order.
///
/// LMDB sorts keys bytewise, so integers are written big-endian (numeric order = key order) and
/// names are followed by a 0 byte so that the keys of "ml" never share a prefix with "ml-1m".
public enum StoreKey {
    /// The UTF-8 bytes of `string`.
    public static func utf8(_ string: String) -> [UInt8] {
        Array(string.utf8)
    }

    /// The UTF-8 bytes of `name` followed by a 0 byte: the prefix of every key owned by `name`.
    public static func prefix(_ name: String) -> [UInt8] {
        var bytes = Array(name.utf8)
        bytes.append(0)
        return bytes
    }

    /// `value` as big-endian bytes (`MemoryLayout<T>.size` of them), so key order = numeric order.
    @inlinable
    public static func bigEndian<T: FixedWidthInteger & UnsignedInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }

    /// Reads a big-endian `T` from `bytes` starting at `offset`; nil when too few bytes remain.
    @inlinable
    public static func readBigEndian<T: FixedWidthInteger & UnsignedInteger>(
        _ type: T.Type, from bytes: some Collection<UInt8>, at offset: Int = 0
    ) -> T? {
        guard offset >= 0, bytes.count - offset >= MemoryLayout<T>.size else { return nil }
        var value = T.zero
        var index = bytes.index(bytes.startIndex, offsetBy: offset)
        for _ in 0..<MemoryLayout<T>.size {
            value = (value << 8) | T(bytes[index])
            bytes.formIndex(after: &index)
        }
        return value
    }

    /// The smallest key greater than every key that starts with `prefix`, or nil when none exists
    /// (empty prefix, or a prefix of only 0xFF bytes).
    static func successor(of prefix: [UInt8]) -> [UInt8]? {
        var bytes = prefix
        while let last = bytes.last {
            if last < 0xFF {
                bytes[bytes.count - 1] = last + 1
                return bytes
            }
            bytes.removeLast()
        }
        return nil
    }
}
