/// Why one line could not be parsed; `ParseSession` turns it into a `DatasetError` naming the file
/// and line (and prefixes "truncated last line: " to a structural issue on an unterminated last line).
struct LineIssue: Error {
    /// What was expected and what was found.
    var reason: String
    /// True when the line's shape is wrong (field count, syntax), which truncation explains.
    var isStructural: Bool

    /// A bad value in a well-formed line.
    init(_ reason: String) {
        self.reason = reason
        self.isStructural = false
    }

    /// The line has the wrong number of fields.
    static func fieldCount(expected: String, found: Int) -> LineIssue {
        LineIssue(reason: "expected \(expected), found \(found)", isStructural: true)
    }

    /// The line is not valid JSON / Python-literal syntax.
    static func syntax(_ error: StructuredValueSyntaxError, expected: String) -> LineIssue {
        LineIssue(reason: "expected \(expected): \(error)", isStructural: true)
    }

    private init(reason: String, isStructural: Bool) {
        self.reason = reason
        self.isStructural = isStructural
    }
}

/// Converts field bytes to values, throwing a `LineIssue` that quotes the bad field.
enum FieldValue {
    /// A rating: any finite decimal number.
    static func rating(_ bytes: UnsafeBufferPointer<UInt8>, field: String = "rating") throws -> Float {
        guard let value = ByteNumberParser.parseDouble(bytes) else {
            throw LineIssue("expected a number for \(field), found \(quoted(bytes))")
        }
        return Float(value)
    }

    /// A timestamp in whole units: an integer, or a number with an integral value (`881250949.0`).
    static func timestamp(_ bytes: UnsafeBufferPointer<UInt8>, field: String = "timestamp") throws -> Int64 {
        if let value = ByteNumberParser.parseInt64(bytes) { return value }
        if let value = ByteNumberParser.parseDouble(bytes), value == value.rounded(), abs(value) < 9e18 { return Int64(value) }
        throw LineIssue("expected an integer for \(field), found \(quoted(bytes))")
    }

    /// UTF-8 text.
    static func utf8(_ bytes: UnsafeBufferPointer<UInt8>, field: String) throws -> String {
        guard let text = TextDecoding.utf8(bytes) else { throw LineIssue("expected UTF-8 text in \(field), found invalid bytes") }
        return text
    }

    /// The field as it appears in the file, in double quotes, shortened past 40 bytes.
    static func quoted(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let shown = TextDecoding.latin1(UnsafeBufferPointer(rebasing: bytes.prefix(40)))
        return "\"\(shown)\(bytes.count > 40 ? "..." : "")\""
    }
}
