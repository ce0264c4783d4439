/// A byte-level parser for one JSON or Python-literal value, used both to build `StructuredValue`s
/// and, on the hot path, to walk an object's top-level fields without building anything.
struct LiteralParser {
    /// A top-level field of an object, pointing into the line.
    struct Field {
        /// The key's bytes between its quotes, escapes not decoded.
        var key: UnsafeBufferPointer<UInt8>
        /// The value's bytes: between the quotes for a string, the whole token otherwise.
        var value: UnsafeBufferPointer<UInt8>
        /// Whether the value is a string literal.
        var isString: Bool
        /// Whether the string value contains backslash escapes.
        var hasEscapes: Bool
        /// The quote byte that delimited the string value (Python strings use either).
        var quote: UInt8
    }

    /// The deepest nesting of lists and objects `parseValue` accepts. It recurses once per level,
    /// so this bounds its stack use (100,000 `[` would otherwise overflow the stack); JSON written by
    /// people and programs stays far below (Foundation's JSON parser stops at 512 too).
    static let maximumDepth = 512

    private let bytes: UnsafeBufferPointer<UInt8>
    private let dialect: StructuredValue.Dialect
    private var position = 0
    /// Lists and objects `parseValue` is inside of.
    private var depth = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>, dialect: StructuredValue.Dialect) {
        self.bytes = bytes
        self.dialect = dialect
    }

    // MARK: Top-level object walk

    /// Calls `body` with every top-level field of the object that makes up the whole line.
    mutating func forEachField(_ body: (Field) throws -> Void) throws {
        skipWhitespace()
        try expect(UInt8(ascii: "{"), "'{'")
        skipWhitespace()
        if peek() == UInt8(ascii: "}") { position += 1; try expectEnd(); return }
        while true {
            skipWhitespace()
            guard let keyQuote = peek(), isQuote(keyQuote) else { throw error("a quoted key") }
            let (key, _) = try scanString()
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "':'")
            skipWhitespace()
            let start = position
            if let quote = peek(), isQuote(quote) {
                let (value, hasEscapes) = try scanString()
                try body(Field(key: key, value: value, isString: true, hasEscapes: hasEscapes, quote: quote))
            } else {
                try skipValue()
                try body(Field(key: key, value: UnsafeBufferPointer(rebasing: bytes[start..<position]),
                               isString: false, hasEscapes: false, quote: 0))
            }
            skipWhitespace()
            if peek() == UInt8(ascii: ",") { position += 1; continue }
            try expect(UInt8(ascii: "}"), "',' or '}'")
            try expectEnd()
            return
        }
    }

    /// Throws unless only whitespace is left.
    mutating func expectEnd() throws {
        skipWhitespace()
        guard position == bytes.count else { throw error("end of line") }
    }

    // MARK: Values

    /// Parses the value at the current position into a tree; throws past `maximumDepth` levels.
    mutating func parseValue() throws -> StructuredValue {
        skipWhitespace()
        guard let byte = peek() else { throw error("a value") }
        let opensLevel = byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") || (byte == UInt8(ascii: "(") && dialect == .python)
        if opensLevel {
            guard depth < Self.maximumDepth else { throw error("at most \(Self.maximumDepth) nested lists and objects") }
            depth += 1
        }
        defer { if opensLevel { depth -= 1 } }
        switch byte {
        case UInt8(ascii: "{"):
            position += 1
            var entries: [String: StructuredValue] = [:]
            try parseSequence(closing: UInt8(ascii: "}")) {
                let key = try $0.parseValue()
                $0.skipWhitespace()
                try $0.expect(UInt8(ascii: ":"), "':'")
                let keyText: String
                if case .string(let text) = key { keyText = text } else { keyText = key.flattenedStrings.joined() }
                entries[keyText] = try $0.parseValue()
            }
            return .dictionary(entries)
        case UInt8(ascii: "["),
             UInt8(ascii: "(") where dialect == .python:
            position += 1
            var elements: [StructuredValue] = []
            try parseSequence(closing: byte == UInt8(ascii: "[") ? UInt8(ascii: "]") : UInt8(ascii: ")")) {
                elements.append(try $0.parseValue())
            }
            return .list(elements)
        case _ where isQuote(byte):
            let (content, hasEscapes) = try scanString()
            guard let text = decodeString(content, hasEscapes: hasEscapes, quote: byte) else {
                throw error("valid UTF-8 text and escapes in the string")
            }
            return .string(text)
        default:
            let start = position
            try skipValue()
            let token = UnsafeBufferPointer(rebasing: bytes[start..<position])
            if let number = ByteNumberParser.parseDouble(token) { return .number(number) }
            switch (String(decoding: token, as: UTF8.self), dialect) {
            case ("true", .json), ("True", .python): return .bool(true)
            case ("false", .json), ("False", .python): return .bool(false)
            case ("null", .json), ("None", .python): return .null
            default:
                position = start
                throw error("a value")
            }
        }
    }

    /// Parses `element, element, ... closing`, allowing a trailing comma in Python.
    private mutating func parseSequence(closing: UInt8, element: (inout LiteralParser) throws -> Void) throws {
        skipWhitespace()
        if peek() == closing { position += 1; return }
        while true {
            try element(&self)
            skipWhitespace()
            if peek() == UInt8(ascii: ",") {
                position += 1
                skipWhitespace()
                if dialect == .python, peek() == closing { position += 1; return }
                continue
            }
            try expect(closing, "',' or '\(Character(Unicode.Scalar(closing)))'")
            return
        }
    }

    /// Moves past one value without building it (nested brackets balanced, strings skipped).
    mutating func skipValue() throws {
        var depth = 0
        repeat {
            skipWhitespace()
            guard let byte = peek() else { throw error(depth > 0 ? "a closing bracket" : "a value") }
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "("):
                depth += 1
                position += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: ")"):
                guard depth > 0 else { throw error("a value") }
                depth -= 1
                position += 1
            case UInt8(ascii: ","), UInt8(ascii: ":"):
                guard depth > 0 else { throw error("a value") }
                position += 1
            case _ where isQuote(byte):
                _ = try scanString()
            default:
                let start = position
                while let next = peek(), !isDelimiter(next) { position += 1 }
                guard position > start else { throw error("a value") }
            }
        } while depth > 0
    }

    // MARK: Strings

    /// Moves past the string literal at the current position; returns its content and whether it has escapes.
    mutating func scanString() throws -> (content: UnsafeBufferPointer<UInt8>, hasEscapes: Bool) {
        let quote = bytes[position]
        position += 1
        let start = position
        var hasEscapes = false
        while position < bytes.count {
            let byte = bytes[position]
            if byte == quote {
                position += 1
                return (UnsafeBufferPointer(rebasing: bytes[start..<position - 1]), hasEscapes)
            }
            if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                position += 1
            }
            position += 1
        }
        position = start - 1
        throw error("a closing \(quote == UInt8(ascii: "'") ? "'" : "\"") for the string")
    }

    /// Decodes a string literal's content (UTF-8 with backslash escapes); nil for invalid text or escapes.
    func decodeString(_ content: UnsafeBufferPointer<UInt8>, hasEscapes: Bool, quote: UInt8) -> String? {
        guard hasEscapes else { return TextDecoding.utf8(content) }
        var output: [UInt8] = []
        output.reserveCapacity(content.count)
        var index = 0
        var pendingHighSurrogate: UInt32?
        while index < content.count {
            let byte = content[index]
            guard byte == UInt8(ascii: "\\") else {
                guard pendingHighSurrogate == nil else { return nil }
                output.append(byte)
                index += 1
                continue
            }
            guard index + 1 < content.count else { return nil }
            let escape = content[index + 1]
            index += 2
            var scalarValue: UInt32
            switch escape {
            case UInt8(ascii: "n"): scalarValue = 0x0A
            case UInt8(ascii: "t"): scalarValue = 0x09
            case UInt8(ascii: "r"): scalarValue = 0x0D
            case UInt8(ascii: "b"): scalarValue = 0x08
            case UInt8(ascii: "f"): scalarValue = 0x0C
            case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "/"), UInt8(ascii: "'"): scalarValue = UInt32(escape)
            case UInt8(ascii: "u"),
                 UInt8(ascii: "x") where dialect == .python,
                 UInt8(ascii: "U") where dialect == .python:
                let digits = escape == UInt8(ascii: "x") ? 2 : escape == UInt8(ascii: "u") ? 4 : 8
                guard index + digits <= content.count,
                      let value = UInt32(String(decoding: UnsafeBufferPointer(rebasing: content[index..<index + digits]), as: UTF8.self), radix: 16)
                else { return nil }
                scalarValue = value
                index += digits
            default:
                return nil
            }
            if let high = pendingHighSurrogate {
                guard (0xDC00...0xDFFF).contains(scalarValue) else { return nil }
                scalarValue = 0x10000 + ((high - 0xD800) << 10) + (scalarValue - 0xDC00)
                pendingHighSurrogate = nil
            } else if (0xD800...0xDBFF).contains(scalarValue) {
                pendingHighSurrogate = scalarValue
                continue
            }
            guard let scalar = Unicode.Scalar(scalarValue) else { return nil }
            output.append(contentsOf: String(scalar).utf8)
        }
        guard pendingHighSurrogate == nil else { return nil }
        return output.withUnsafeBufferPointer(TextDecoding.utf8)
    }

    // MARK: Bytes

    private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    private func isQuote(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\"") || (dialect == .python && byte == UInt8(ascii: "'"))
    }

    private func isDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: ")"),
             UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "("),
             UInt8(ascii: "\""), UInt8(ascii: "'"):
            return true
        default:
            return false
        }
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { position += 1 }
    }

    private mutating func expect(_ byte: UInt8, _ description: String) throws {
        guard peek() == byte else { throw error(description) }
        position += 1
    }

    private func error(_ expected: String) -> StructuredValueSyntaxError {
        StructuredValueSyntaxError(expected: expected, column: position + 1)
    }
}
