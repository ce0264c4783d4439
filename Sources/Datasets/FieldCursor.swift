/// Walks the separated fields of one line without allocating (no quoting rules).
///
/// The separator is one byte (`\t`, `|`, `,`) or that byte twice (`::` in MovieLens 1M/10M).
/// `"a,b,"` has the three fields `a`, `b` and `""`; an empty line has one empty field.
struct FieldCursor {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let separator: UInt8
    private let separatorLength: Int
    private var position = 0
    /// True once the last field was returned.
    private(set) var isAtEnd = false

    /// A cursor over `bytes`; `doubled` makes the separator two copies of `separator`.
    init(_ bytes: UnsafeBufferPointer<UInt8>, separator: UInt8, doubled: Bool = false) {
        self.bytes = bytes
        self.separator = separator
        self.separatorLength = doubled ? 2 : 1
    }

    /// The next field, or nil after the last.
    mutating func next() -> UnsafeBufferPointer<UInt8>? {
        guard !isAtEnd else { return nil }
        var index = position
        while index < bytes.count {
            if bytes[index] == separator, separatorLength == 1 || (index + 1 < bytes.count && bytes[index + 1] == separator) {
                let field = UnsafeBufferPointer(rebasing: bytes[position..<index])
                position = index + separatorLength
                return field
            }
            index += 1
        }
        isAtEnd = true
        return UnsafeBufferPointer(rebasing: bytes[position..<bytes.count])
    }

    /// Number of fields left, consuming them (for error messages).
    mutating func countRemaining() -> Int {
        var count = 0
        while next() != nil { count += 1 }
        return count
    }

    /// Every remaining field, appended to `fields` (which is emptied first, keeping its capacity).
    mutating func collect(into fields: inout [UnsafeBufferPointer<UInt8>]) {
        fields.removeAll(keepingCapacity: true)
        while let field = next() { fields.append(field) }
    }
}
