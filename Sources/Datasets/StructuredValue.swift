/// A value of a JSON document or of a Python literal (`repr` of a dict), as parsed from a line.
///
/// Python tuples read as lists, `True`/`False` as booleans, `None` as null; dictionary keys that are
/// not strings are stored as their text.
public indirect enum StructuredValue: Equatable, Sendable {
    /// A string literal, escapes decoded.
    case string(String)
    /// Any number (integers included).
    case number(Double)
    /// `true`/`false` (JSON) or `True`/`False` (Python).
    case bool(Bool)
    /// `null` (JSON) or `None` (Python).
    case null
    /// An array, Python list or tuple.
    case list([StructuredValue])
    /// An object or dict.
    case dictionary([String: StructuredValue])

    /// The syntax a line is written in.
    public enum Dialect: Sendable {
        /// RFC 8259 JSON.
        case json
        /// The literal subset of Python 3 `repr` output: strings in either quote style (escapes
        /// `\n \t \\ \' \" \xNN \uNNNN \UNNNNNNNN`), numbers, lists, tuples, dicts, True/False/None.
        case python
    }

    /// Parses one complete value from `text`; throws `StructuredValueSyntaxError` on bad syntax.
    public static func parse(_ text: String, dialect: Dialect) throws -> StructuredValue {
        var text = text
        return try text.withUTF8 { bytes in
            var parser = LiteralParser(bytes, dialect: dialect)
            let value = try parser.parseValue()
            try parser.expectEnd()
            return value
        }
    }

    /// Every string and number inside, depth-first in document order (dictionary values in key order).
    public var flattenedStrings: [String] {
        switch self {
        case .string(let text): return [text]
        case .number(let value):
            return [value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)]
        case .bool, .null: return []
        case .list(let elements): return elements.flatMap(\.flattenedStrings)
        case .dictionary(let entries): return entries.keys.sorted().flatMap { entries[$0]!.flattenedStrings }
        }
    }
}

/// Bad syntax in a JSON or Python-literal line: what was expected, at which 1-based byte column.
public struct StructuredValueSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What the parser expected, e.g. `',' or '}'`.
    public var expected: String
    /// 1-based byte offset in the line.
    public var column: Int

    /// `expected X at column N`.
    public var description: String { "expected \(expected) at column \(column)" }
}
