import Foundation

/// A semantic-ID index file as LC-Rec, LETTER and their successors publish it (`X.index.json`):
/// `{"<item id>": ["<a_159>", "<b_42>", "<c_1>", "<d_0>"], ...}`, one token per level, level `l`'s
/// token `<x_N>` with `x` the `l`-th letter (`a`, `b`, `c`, ...) and `N` the code.
///
/// `read`/`parse` check the whole file with a small scanner for exactly this grammar (any JSON
/// whitespace, escapes in strings), so every error names the file and line and no input can trap;
/// `render`/`write` produce the same one-line layout LC-Rec writes.
public struct LCRecIndexFile: Equatable, Sendable {
    /// One item's line of the index.
    public struct Entry: Equatable, Sendable {
        /// The item's raw id (the JSON key).
        public var itemID: String
        /// The item's codes, `[levels]`: code `N` of token `<x_N>` at each level.
        public var codes: [Int32]

        /// An entry giving item `itemID` the code tuple `codes`.
        public init(itemID: String, codes: [Int32]) {
            self.itemID = itemID
            self.codes = codes
        }
    }

    /// Raw item id -> code tuple, in file order.
    public var entries: [Entry]
    /// The file the index was read from (or a label for an index built in memory), for messages.
    public var path: String

    /// An index holding `entries`; `path` names it in error messages.
    public init(entries: [Entry], path: String = "index") {
        self.entries = entries
        self.path = path
    }

    /// Reads and parses the index file at `path`.
    ///
    /// Throws `SemanticIDError.malformedIndexFile` (one line naming `path`) when the file cannot be
    /// read or is not a JSON object mapping item ids to lists of `<x_N>` tokens with one token per
    /// level, the same number of levels for every item and every item id once.
    public static func read(path: String) throws -> LCRecIndexFile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file"
            throw SemanticIDError.malformedIndexFile(path: path, reason: "\(reason) (expected an LC-Rec index file)")
        }
        return try parse(data, path: path)
    }

    /// Parses the bytes of an index file; `path` names it in error messages. Throws
    /// `SemanticIDError.malformedIndexFile` like `read(path:)`.
    public static func parse(_ data: Data, path: String) throws -> LCRecIndexFile {
        var scanner = IndexScanner(bytes: [UInt8](data), path: path)
        return LCRecIndexFile(entries: try scanner.parseIndex(), path: path)
    }

    /// Codes for the catalogue `itemIDs` (internal item `i` has raw id `itemIDs[i]`), `[itemIDs.count,
    /// levels]` row-major. Level `l`'s codebook size is the largest code at that level plus one,
    /// raised to `minimumCodebookSize` when smaller (the published tokenizers use 256 codes a level,
    /// not all of them taken).
    ///
    /// Throws `SemanticIDError.malformedIndexFile` when index items are not in the catalogue or
    /// catalogue items are missing from the index (naming the first few and the count), when the
    /// index has no levels, or when entries repeat an id or differ in their number of levels.
    public func codes(forItemIDs itemIDs: [String], minimumCodebookSize: Int = 256) throws -> SemanticIDCodes {
        var row: [String: Int] = [:]
        row.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() {
            guard row.updateValue(index, forKey: entry.itemID) == nil else {
                throw SemanticIDError.malformedIndexFile(path: path, reason: "item \(quoted(entry.itemID)) occurs more than once (expected each item once)")
            }
        }
        let catalogue = Set(itemIDs)
        let unknown = entries.map(\.itemID).filter { !catalogue.contains($0) }
        guard unknown.isEmpty else {
            throw SemanticIDError.malformedIndexFile(path: path, reason: "\(countedItems(unknown.count, "index item is", "index items are")) not in the catalogue: \(listed(unknown))")
        }
        let missing = itemIDs.filter { row[$0] == nil }
        guard missing.isEmpty else {
            throw SemanticIDError.malformedIndexFile(path: path, reason: "\(countedItems(missing.count, "catalogue item has", "catalogue items have")) no code in the index: \(listed(missing))")
        }
        guard let levels = entries.first?.codes.count, levels > 0 else {
            throw SemanticIDError.malformedIndexFile(path: path, reason: "the index has no levels (expected at least one code per item)")
        }
        if let ragged = entries.first(where: { $0.codes.count != levels }) {
            throw SemanticIDError.malformedIndexFile(path: path, reason: "item \(quoted(ragged.itemID)) has \(ragged.codes.count) codes, expected \(levels) like the first item")
        }
        var largest = [Int32](repeating: -1, count: levels)
        var codes: [Int32] = []
        codes.reserveCapacity(itemIDs.count * levels)
        for itemID in itemIDs {
            let tuple = entries[row[itemID]!].codes
            for level in 0..<levels { largest[level] = max(largest[level], tuple[level]) }
            codes += tuple
        }
        let sizes = largest.map { max(Int($0) + 1, minimumCodebookSize, 1) }
        return try SemanticIDCodes(codes: codes, codebookSizes: sizes)
    }

    /// The file text for `codes` of items `itemIDs` (row `i` of `codes` belongs to `itemIDs[i]`), one
    /// line without a final line break, keys in catalogue order, as LC-Rec writes it:
    /// `{"id": ["<a_1>", "<b_2>", ...], ...}`. Ids are JSON-escaped.
    ///
    /// Requires `itemIDs.count == codes.count` and at most 26 levels (letters `a` to `z`).
    public static func render(_ codes: SemanticIDCodes, itemIDs: [String]) -> String {
        precondition(itemIDs.count == codes.count, "\(itemIDs.count) item ids for \(codes.count) code tuples")
        precondition(codes.levels <= 26, "an index file names at most 26 levels (a to z), not \(codes.levels)")
        let letters = (0..<codes.levels).map { String(UnicodeScalar(UInt8(ascii: "a") + UInt8($0))) }
        var text = "{"
        for (item, itemID) in itemIDs.enumerated() {
            if item > 0 { text += ", " }
            text += jsonString(itemID) + ": ["
            text += codes[item].enumerated().map { "\"<\(letters[$0.offset])_\($0.element)>\"" }.joined(separator: ", ")
            text += "]"
        }
        return text + "}"
    }

    /// Writes `render(codes, itemIDs:)` to `path` through a temporary file in the same directory
    /// that is then renamed over `path`, so a crash leaves the old file or the new one, never half a
    /// file. Throws `SemanticIDError.invalidInput` for mismatched arguments or more than 26 levels,
    /// and the file system's error when writing or renaming fails.
    public static func write(_ codes: SemanticIDCodes, itemIDs: [String], to path: String) throws {
        guard itemIDs.count == codes.count else {
            throw SemanticIDError.invalidInput("\(itemIDs.count) item ids for \(codes.count) code tuples")
        }
        guard codes.levels <= 26 else {
            throw SemanticIDError.invalidInput("an index file names at most 26 levels (a to z), not \(codes.levels)")
        }
        let target = URL(fileURLWithPath: path)
        let temporary = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).\(UUID().uuidString).tmp")
        try Data(render(codes, itemIDs: itemIDs).utf8).write(to: temporary)
        guard rename(temporary.path, target.path) == 0 else {
            let code = POSIXErrorCode(rawValue: errno) ?? .EIO
            try? FileManager.default.removeItem(at: temporary)
            throw POSIXError(code)
        }
    }
}

/// `text` as a JSON string literal: quotes, backslashes and control characters escaped.
private func jsonString(_ text: String) -> String {
    var literal = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": literal += "\\\""
        case "\\": literal += "\\\\"
        case "\n": literal += "\\n"
        case "\r": literal += "\\r"
        case "\t": literal += "\\t"
        case _ where scalar.value < 0x20 || scalar.value == 0x7F:
            literal += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
        default: literal.unicodeScalars.append(scalar)
        }
    }
    return literal + "\""
}

/// `text` for a message: a JSON string literal (so it stays on one line), shortened past 40 characters.
private func quoted(_ text: String) -> String {
    text.count > 40 ? String(jsonString(String(text.prefix(40))).dropLast()) + "...\"" : jsonString(text)
}

/// `"1 catalogue item has"` / `"3 catalogue items have"`.
private func countedItems(_ count: Int, _ singular: String, _ plural: String) -> String {
    "\(count) \(count == 1 ? singular : plural)"
}

/// The first five ids quoted, then `...` when there are more.
private func listed(_ ids: [String]) -> String {
    ids.prefix(5).map(quoted).joined(separator: ", ") + (ids.count > 5 ? ", ..." : "")
}

/// A scanner for the index grammar: an object whose values are lists of strings. Every access is
/// bounds-checked, so any input ends in a value or a `SemanticIDError`, never a trap.
private struct IndexScanner {
    let bytes: [UInt8]
    let path: String
    private var position = 0

    init(bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
    }

    /// Parses the whole file.
    mutating func parseIndex() throws -> [LCRecIndexFile.Entry] {
        skipWhitespace()
        guard peek() == UInt8(ascii: "{") else {
            throw failure("expected a JSON object mapping item ids to lists of code tokens, found \(foundHere())")
        }
        position += 1
        var entries: [LCRecIndexFile.Entry] = []
        var firstOffset: [String: Int] = [:]
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                skipWhitespace()
                guard peek() == UInt8(ascii: "\"") else { throw failure("expected a quoted item id, found \(foundHere())") }
                let keyStart = position
                let itemID = try scanString()
                if let first = firstOffset.updateValue(keyStart, forKey: itemID) {
                    throw failure("item \(quoted(itemID)) occurs a second time (first at line \(line(of: first))); expected each item once", at: keyStart)
                }
                skipWhitespace()
                try expect(UInt8(ascii: ":"), "':' after the item id")
                skipWhitespace()
                let codes = try scanCodes(of: itemID)
                if let first = entries.first, first.codes.count != codes.count {
                    throw failure("item \(quoted(itemID)) has \(codes.count) codes, expected \(first.codes.count) like the first item", at: keyStart)
                }
                entries.append(LCRecIndexFile.Entry(itemID: itemID, codes: codes))
                skipWhitespace()
                if peek() == UInt8(ascii: ",") { position += 1; continue }
                try expect(UInt8(ascii: "}"), "',' or '}'")
                break
            }
        }
        skipWhitespace()
        guard position == bytes.count else { throw failure("expected the end of the file after the object, found \(foundHere())") }
        return entries
    }

    /// The list of code tokens at the current position: `[`, strings `<x_N>` with `x` the level's
    /// letter, `]`; at least one.
    private mutating func scanCodes(of itemID: String) throws -> [Int32] {
        guard peek() == UInt8(ascii: "[") else {
            throw failure("expected a list of strings for item \(quoted(itemID)), found \(foundHere())")
        }
        let listStart = position
        position += 1
        var codes: [Int32] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            position += 1
        } else {
            while true {
                skipWhitespace()
                guard peek() == UInt8(ascii: "\"") else {
                    throw failure("expected a list of strings for item \(quoted(itemID)), found \(foundHere()) in it")
                }
                let tokenStart = position
                let token = try scanString()
                codes.append(try code(of: token, level: codes.count, itemID: itemID, at: tokenStart))
                skipWhitespace()
                if peek() == UInt8(ascii: ",") { position += 1; continue }
                try expect(UInt8(ascii: "]"), "',' or ']'")
                break
            }
        }
        guard !codes.isEmpty else {
            throw failure("item \(quoted(itemID)) has no codes (expected one token per level)", at: listStart)
        }
        return codes
    }

    /// The code `N` of token `<x_N>` at 0-based `level`.
    private func code(of token: String, level: Int, itemID: String, at offset: Int) throws -> Int32 {
        let utf8 = Array(token.utf8)
        let letter = utf8.count >= 5 ? utf8[1] : 0
        let digits = utf8.count >= 5 ? utf8[3..<utf8.count - 1] : []
        guard utf8.count >= 5, utf8[0] == UInt8(ascii: "<"), utf8[2] == UInt8(ascii: "_"), utf8[utf8.count - 1] == UInt8(ascii: ">"),
              (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(letter),
              digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            throw failure("expected a code token \"<x_N>\" (x the level's letter, N a non-negative integer) for item \(quoted(itemID)), found \(quoted(token))", at: offset)
        }
        guard level < 26 else {
            throw failure("item \(quoted(itemID)) has more than 26 codes (levels are lettered a to z), found \(quoted(token))", at: offset)
        }
        let expected = UInt8(ascii: "a") + UInt8(level)
        guard letter == expected else {
            throw failure("expected <\(Character(UnicodeScalar(expected)))_N> at level \(level + 1) for item \(quoted(itemID)), found \(quoted(token))", at: offset)
        }
        var value = 0
        for digit in digits {
            value = value * 10 + Int(digit - UInt8(ascii: "0"))
            guard value <= Int(Int32.max) else {
                throw failure("code of \(quoted(token)) for item \(quoted(itemID)) exceeds \(Int32.max)", at: offset)
            }
        }
        return Int32(value)
    }

    /// The JSON string literal at the current position (on its opening quote), escapes decoded.
    private mutating func scanString() throws -> String {
        let start = position
        position += 1
        var decoded: [UInt8] = []
        var pendingHighSurrogate: UInt32?
        while let byte = peek() {
            position += 1
            if byte == UInt8(ascii: "\"") {
                guard pendingHighSurrogate == nil, let text = String(bytes: decoded, encoding: .utf8) else {
                    throw failure("expected UTF-8 text and valid escapes in the string", at: start)
                }
                return text
            }
            guard byte == UInt8(ascii: "\\") else {
                guard pendingHighSurrogate == nil else { throw failure("expected a low surrogate \\u escape", at: position - 1) }
                decoded.append(byte)
                continue
            }
            guard let escape = peek() else { break }
            position += 1
            var scalarValue: UInt32
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalarValue = UInt32(escape)
            case UInt8(ascii: "b"): scalarValue = 0x08
            case UInt8(ascii: "f"): scalarValue = 0x0C
            case UInt8(ascii: "n"): scalarValue = 0x0A
            case UInt8(ascii: "r"): scalarValue = 0x0D
            case UInt8(ascii: "t"): scalarValue = 0x09
            case UInt8(ascii: "u"):
                guard position + 4 <= bytes.count,
                      let value = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16) else {
                    throw failure("expected four hex digits after \\u", at: position - 2)
                }
                scalarValue = value
                position += 4
            default:
                throw failure("expected a valid escape in the string, found \(quoted("\\" + String(decoding: [escape], as: UTF8.self)))", at: position - 2)
            }
            if let high = pendingHighSurrogate {
                guard (0xDC00...0xDFFF).contains(scalarValue) else { throw failure("expected a low surrogate \\u escape", at: position - 1) }
                scalarValue = 0x10000 + ((high - 0xD800) << 10) + (scalarValue - 0xDC00)
                pendingHighSurrogate = nil
            } else if (0xD800...0xDBFF).contains(scalarValue) {
                pendingHighSurrogate = scalarValue
                continue
            }
            guard let scalar = Unicode.Scalar(scalarValue) else { throw failure("expected a valid \\u escape", at: position - 1) }
            decoded += Array(String(scalar).utf8)
        }
        throw failure("expected a closing '\"' for the string", at: start)
    }

    // MARK: Bytes and messages

    private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { position += 1 }
    }

    private mutating func expect(_ byte: UInt8, _ description: String) throws {
        guard peek() == byte else { throw failure("expected \(description), found \(foundHere())") }
        position += 1
    }

    /// What the value at the current position looks like, for messages.
    private func foundHere() -> String {
        guard let byte = peek() else { return bytes.isEmpty ? "an empty file" : "the end of the file" }
        switch byte {
        case UInt8(ascii: "\""): return "a string"
        case UInt8(ascii: "["): return "a list"
        case UInt8(ascii: "{"): return "an object"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return "a number"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return "a boolean"
        case UInt8(ascii: "n"): return "null"
        default:
            let end = bytes[position...].firstIndex { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 } ?? bytes.count
            return quoted(String(decoding: bytes[position..<min(end, position + 40)], as: UTF8.self))
        }
    }

    /// The 1-based line of byte `offset`.
    private func line(of offset: Int) -> Int {
        1 + bytes[..<min(max(offset, 0), bytes.count)].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    }

    /// An error at byte `offset` (the current position by default): `path: line N: reason`.
    private func failure(_ reason: String, at offset: Int? = nil) -> SemanticIDError {
        .malformedIndexFile(path: path, reason: "line \(line(of: offset ?? position)): \(reason)")
    }
}
