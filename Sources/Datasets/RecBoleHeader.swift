/// The typed header line of a RecBole atomic file: tab-separated `name:type` columns, type one of
/// `token`, `token_seq`, `float`, `float_seq` (RecBole, Zhao et al., CIKM 2021).
struct RecBoleHeader {
    /// Column names in file order.
    let names: [String]
    /// Column types in file order.
    let types: [String]
    /// What a data line looks like, for error messages.
    let expectation: String

    private static let knownTypes: Set<String> = ["token", "token_seq", "float", "float_seq"]

    /// Parses the header line; throws a `LineIssue` for a column that is not `name:type`.
    init(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        var names: [String] = [], types: [String] = []
        var cursor = FieldCursor(bytes, separator: UInt8(ascii: "\t"))
        while let column = cursor.next() {
            let text = try FieldValue.utf8(column, field: "the header")
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, Self.knownTypes.contains(String(parts[1])) else {
                throw LineIssue("expected a header of tab-separated name:type columns (type token, token_seq, float or float_seq), found \(FieldValue.quoted(column))")
            }
            names.append(String(parts[0]))
            types.append(String(parts[1]))
        }
        self.names = names
        self.types = types
        self.expectation = "\(names.count) tab-separated fields (\(names.joined(separator: ", ")))"
    }

    /// The index of column `name`, or a `LineIssue` saying the header lacks it.
    func column(_ name: String) throws -> Int {
        guard let index = names.firstIndex(of: name) else {
            throw LineIssue("expected a header with a \(name) column, found \(names.joined(separator: ", "))")
        }
        return index
    }
}

extension RecBoleHeader {
    /// Splits a data line at tabs into `fields` (replaced), one per header column.
    /// - Throws: `LineIssue.fieldCount` when the line has another number of fields.
    func split(_ line: UnsafeBufferPointer<UInt8>, into fields: inout [UnsafeBufferPointer<UInt8>]) throws {
        var cursor = FieldCursor(line, separator: UInt8(ascii: "\t"))
        cursor.collect(into: &fields)
        guard fields.count == names.count else { throw LineIssue.fieldCount(expected: expectation, found: fields.count) }
    }
}
