import Foundation

/// What `readLCRecInteractions` learned about the catalogue, to check the item file against it.
struct LCRecCatalogue {
    /// The interactions file's name (last path component), for messages.
    var fileName: String
    /// Raw item ids in first-seen order (the builder's dense item order).
    var itemIDs: [String]
    /// For each item of `itemIDs`, the 1-based line of the interactions file where the user whose
    /// list first holds it begins.
    var firstLines: [Int]
}

extension ParseSession {
    /// The interactions file, described for error messages.
    private static let lcRecInteractionsExpectation = "a JSON object mapping user ids to lists of item ids"
    /// The item file, described for error messages.
    private static let lcRecItemsExpectation = "a JSON object mapping item ids to objects of item fields"
    /// Item-file keys copied into `ItemRecord.fields` (the Amazon meta field names, so the `amazon`
    /// item text template reads them) and how list values are joined.
    private static let lcRecItemFields: [(key: String, separator: String)] = [
        ("title", " "), ("brand", " "), ("categories", ", "), ("description", " "),
    ]

    /// Reads an LC-Rec `X.inter.json`: one JSON document (usually pretty-printed over many lines)
    /// `{"<user id>": [item id, ...], ...}`, each list oldest first, ids JSON strings or integers.
    ///
    /// Users are added in document order and each user's items in list order, rating 1; the format
    /// has no times, so an interaction's timestamp is its position in the file (0, 1, 2, ... across
    /// users), which `report.notes` says. Throws `DatasetError` (file, line, what was expected) for
    /// bad syntax, a user whose value is not a list, an empty list, a bad item id or a repeated user.
    mutating func readLCRecInteractions(at path: String) throws -> LCRecCatalogue {
        let expectation = Self.lcRecInteractionsExpectation
        let document = try readLCRecDocument(at: path, expecting: expectation)
        let name = document.fileName
        var catalogue = LCRecCatalogue(fileName: name, itemIDs: [], firstLines: [])
        var userLines: [String: Int] = [:]
        var position: Int64 = 0
        try document.bytes.withUnsafeBufferPointer { bytes in
            var parser = LiteralParser(bytes, dialect: .json)
            try document.rethrowingSyntaxErrors(in: bytes, expected: expectation) {
                try parser.forEachField { field in
                    let line = document.location(of: field.key, in: bytes).line
                    let user = try document.decodeKey(field.key, in: bytes, role: "user id")
                    if let firstLine = userLines.updateValue(line, forKey: user) {
                        throw DatasetError(file: name, line: line,
                                           reason: "user \(quoted(user)) occurs a second time (first at line \(firstLine)); expected each user once")
                    }
                    guard !field.isString, field.value.first == UInt8(ascii: "[") else {
                        throw DatasetError(file: name, line: line,
                                           reason: "expected a list of item ids for user \(quoted(user)), found \(describe(field))")
                    }
                    var valueParser = LiteralParser(field.value, dialect: .json)
                    let value = try document.rethrowingSyntaxErrors(in: bytes, within: field.value, expected: expectation) {
                        try valueParser.parseValue()
                    }
                    guard case .list(let elements) = value, !elements.isEmpty else {
                        throw DatasetError(file: name, line: line,
                                           reason: "user \(quoted(user)) has no items (expected a non-empty list of item ids)")
                    }
                    for element in elements {
                        guard let item = lcRecID(element) else {
                            throw DatasetError(file: name, line: line,
                                               reason: "expected item ids as strings or integers for user \(quoted(user)), found \(describe(element))")
                        }
                        if !builder.containsItem(rawID: item) {
                            catalogue.itemIDs.append(item)
                            catalogue.firstLines.append(line)
                        }
                        builder.addInteraction(userID: user, itemID: item, rating: 1, timestamp: position)
                        position += 1
                    }
                }
            }
        }
        guard !userLines.isEmpty else {
            throw DatasetError(file: name, line: document.firstLine, reason: "expected \(expectation), found an object with no users")
        }
        report.notes.append("timestamps are record positions in \(name) (the format has no times)")
        return catalogue
    }

    /// Reads an LC-Rec `X.item.json`: `{"<item id>": {"title": ..., "description": ..., "brand": ...,
    /// "categories": ...}, ...}` with string or list values (lists flattened, repeats dropped, joined
    /// like Amazon meta: categories with ", ", the others with " "; blank values left out).
    ///
    /// Records of items no user has are ignored; every item of `catalogue` must have a record.
    /// Throws `DatasetError` for bad syntax, a record that is not an object, or a missing item.
    mutating func readLCRecItems(at path: String, catalogue: LCRecCatalogue) throws {
        let expectation = Self.lcRecItemsExpectation
        let document = try readLCRecDocument(at: path, expecting: expectation)
        let name = document.fileName
        var described = Set<String>()
        try document.bytes.withUnsafeBufferPointer { bytes in
            var parser = LiteralParser(bytes, dialect: .json)
            try document.rethrowingSyntaxErrors(in: bytes, expected: expectation) {
                try parser.forEachField { field in
                    let line = document.location(of: field.key, in: bytes).line
                    let item = try document.decodeKey(field.key, in: bytes, role: "item id")
                    guard !field.isString, field.value.first == UInt8(ascii: "{") else {
                        throw DatasetError(file: name, line: line,
                                           reason: "expected a JSON object of item fields for item \(quoted(item)), found \(describe(field))")
                    }
                    guard builder.containsItem(rawID: item) else { return }
                    var valueParser = LiteralParser(field.value, dialect: .json)
                    let value = try document.rethrowingSyntaxErrors(in: bytes, within: field.value, expected: expectation) {
                        try valueParser.parseValue()
                    }
                    guard case .dictionary(let entries) = value else { return }
                    var record: [String: String] = [:]
                    for (key, separator) in Self.lcRecItemFields {
                        guard let entry = entries[key] else { continue }
                        var seen = Set<String>()
                        let text = entry.flattenedStrings.map { $0.trimmingWhitespace() }
                            .filter { !$0.isEmpty && seen.insert($0).inserted }
                            .joined(separator: separator)
                        if !text.isEmpty { record[key] = text }
                    }
                    builder.addItemFields(rawID: item, fields: record)
                    described.insert(item)
                }
            }
        }
        let missing = catalogue.itemIDs.indices.filter { !described.contains(catalogue.itemIDs[$0]) }
        if let first = missing.first {
            let subject = missing.count > 1 ? " and \(missing.count - 1) more have" : " has"
            throw DatasetError(file: catalogue.fileName, line: catalogue.firstLines[first],
                               reason: "item \(quoted(catalogue.itemIDs[first]))\(subject) no record in \(name); expected every item of the interactions to be described there")
        }
    }

    /// Reads the whole (possibly `.gz`) file through `forEachLine`, so progress, the line count and
    /// the source-file list work as for line formats.
    private mutating func readLCRecDocument(at path: String, expecting expectation: String) throws -> LCRecDocument {
        var document = LCRecDocument(fileName: (path as NSString).lastPathComponent)
        try forEachLine(of: path, expecting: expectation) { line, _ in document.append(line) }
        return document
    }
}

/// A whole JSON document gathered line by line into one buffer, each line followed by a space in
/// place of its line break (the byte-level `LiteralParser` treats only spaces and tabs as
/// whitespace), with a map from byte offsets back to the file's 1-based lines and columns.
private struct LCRecDocument {
    /// The file's last path component, for messages.
    let fileName: String
    /// The non-blank lines, each followed by one space.
    private(set) var bytes: [UInt8] = []
    /// Offset in `bytes` where each stored line starts, ascending.
    private var lineStarts: [Int] = []
    /// The file's 1-based line number of each stored line.
    private var lineNumbers: [Int] = []

    init(fileName: String) {
        self.fileName = fileName
    }

    /// The first non-blank line's number.
    var firstLine: Int { lineNumbers.first ?? 1 }

    /// Adds `line`'s bytes and a space.
    mutating func append(_ line: Line) {
        lineStarts.append(bytes.count)
        lineNumbers.append(line.number)
        bytes.append(contentsOf: line.bytes)
        bytes.append(UInt8(ascii: " "))
    }

    /// The file's line and 1-based byte column of byte `offset` of `bytes` (clamped into the buffer).
    func location(ofOffset offset: Int) -> (line: Int, column: Int) {
        guard !lineStarts.isEmpty else { return (1, 1) }
        let offset = max(0, min(offset, bytes.count - 1))
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return (lineNumbers[low], offset - lineStarts[low] + 1)
    }

    /// The location of the first byte of `part`, a slice of `buffer` (the buffer of `bytes`).
    func location(of part: UnsafeBufferPointer<UInt8>, in buffer: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int) {
        location(ofOffset: offset(of: part, in: buffer))
    }

    /// Where `part` starts in `buffer`.
    private func offset(of part: UnsafeBufferPointer<UInt8>, in buffer: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = buffer.baseAddress, let start = part.baseAddress else { return 0 }
        return base.distance(to: start)
    }

    /// A key's text (escapes decoded); throws for invalid UTF-8 or escapes.
    func decodeKey(_ key: UnsafeBufferPointer<UInt8>, in buffer: UnsafeBufferPointer<UInt8>, role: String) throws -> String {
        let decoder = LiteralParser(key, dialect: .json)
        guard let text = decoder.decodeString(key, hasEscapes: key.contains(UInt8(ascii: "\\")), quote: UInt8(ascii: "\"")) else {
            throw DatasetError(file: fileName, line: location(of: key, in: buffer).line,
                               reason: "expected UTF-8 text and valid escapes in the \(role), found invalid bytes")
        }
        return text
    }

    /// Runs `body`, turning a `StructuredValueSyntaxError` of a parser over `within` (a slice of
    /// `buffer`; the whole buffer when nil) into a `DatasetError` at the file's line and column.
    func rethrowingSyntaxErrors<T>(in buffer: UnsafeBufferPointer<UInt8>, within part: UnsafeBufferPointer<UInt8>? = nil,
                                   expected expectation: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StructuredValueSyntaxError {
            let base = part.map { offset(of: $0, in: buffer) } ?? 0
            let (line, column) = location(ofOffset: base + error.column - 1)
            let expected = error.expected == "end of line" ? "end of file" : error.expected
            throw DatasetError(file: fileName, line: line,
                               reason: "expected \(expectation): expected \(expected) at column \(column)")
        }
    }
}

/// A raw id as text: a string as is, an integer in decimal (`12` -> "12"); nil for anything else.
private func lcRecID(_ value: StructuredValue) -> String? {
    switch value {
    case .string(let text): return text
    case .number(let number) where number == number.rounded() && abs(number) < 9e15: return String(Int64(number))
    default: return nil
    }
}

/// `text` in double quotes, shortened past 40 characters.
private func quoted(_ text: String) -> String {
    "\"\(text.prefix(40))\(text.count > 40 ? "..." : "")\""
}

/// A short description of a field's value for messages: a string quoted, an object or list named,
/// any other token as written.
private func describe(_ field: LiteralParser.Field) -> String {
    if field.isString { return FieldValue.quoted(field.value) }
    switch field.value.first {
    case UInt8(ascii: "{"): return "an object"
    case UInt8(ascii: "["): return "a list"
    default: return String(decoding: field.value.prefix(40), as: UTF8.self)
    }
}

/// A short description of a parsed value for messages.
private func describe(_ value: StructuredValue) -> String {
    switch value {
    case .string(let text): return quoted(text)
    case .number: return value.flattenedStrings.first ?? "a number"
    case .bool(let flag): return flag ? "true" : "false"
    case .null: return "null"
    case .list: return "a list"
    case .dictionary: return "an object"
    }
}
