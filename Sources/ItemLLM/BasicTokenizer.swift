import Foundation

/// BERT's basic tokenization, the step before WordPiece (Devlin et al. 2019, "BERT: Pre-training of
/// Deep Bidirectional Transformers for Language Understanding", and its reference `tokenization.py`):
/// drops NUL, U+FFFD and control characters, turns whitespace into word breaks, makes every CJK
/// ideograph a word of its own, lower-cases and strips accents (NFD, then drops nonspacing marks)
/// when `lowercase`, and splits every punctuation character off as a word of its own.
///
/// Where BERT implementations differ, this follows the Hugging Face tokenizers that
/// all-MiniLM-L6-v2 ships with: a control character is any category-C scalar other than tab,
/// newline and carriage return (so zero-width joiners and private-use scalars vanish), and
/// lower-casing maps each scalar on its own (full Unicode mappings, no final-sigma context).
/// Non-ASCII symbols that are not punctuation (emoji, ™, €, ×) stay inside their word.
public struct BasicTokenizer: Sendable {
    /// Whether words are lower-cased and stripped of accents (uncased models).
    public let lowercase: Bool

    /// A tokenizer for an uncased (`lowercase`, the default) or cased model.
    public init(lowercase: Bool = true) {
        self.lowercase = lowercase
    }

    /// The words of `text`, in order: each a run of non-punctuation scalars, a single punctuation
    /// character or a single CJK ideograph. `"Héllo, 世界!"` gives `["hello", ",", "世", "界", "!"]`.
    public func tokenize(_ text: String) -> [String] {
        var words: [String] = []
        forEachWord(in: text) { word in
            words.append(String(String.UnicodeScalarView(word)))
            return true
        }
        return words
    }

    /// Calls `body` with each word of `text` as its Unicode scalars, in order, until `body` returns
    /// false. The slice is only valid during the call.
    func forEachWord(in text: String, _ body: (ArraySlice<Unicode.Scalar>) -> Bool) {
        var chunk: [Unicode.Scalar] = []
        var normalized: [Unicode.Scalar] = []
        chunk.reserveCapacity(64)
        normalized.reserveCapacity(64)
        for scalar in text.unicodeScalars {
            switch Self.kind(of: scalar) {
            case .dropped:
                continue
            case .whitespace:
                guard emit(&chunk, normalized: &normalized, body) else { return }
            case .ideograph:
                guard emit(&chunk, normalized: &normalized, body) else { return }
                chunk.append(scalar)
                guard emit(&chunk, normalized: &normalized, body) else { return }
            case .other:
                chunk.append(scalar)
            }
        }
        _ = emit(&chunk, normalized: &normalized, body)
    }

    /// Normalises the whitespace-delimited `chunk`, hands its punctuation-split words to `body` and
    /// empties it; false when `body` asked to stop.
    private func emit(_ chunk: inout [Unicode.Scalar], normalized: inout [Unicode.Scalar],
                      _ body: (ArraySlice<Unicode.Scalar>) -> Bool) -> Bool {
        guard !chunk.isEmpty else { return true }
        defer { chunk.removeAll(keepingCapacity: true) }
        normalized.removeAll(keepingCapacity: true)
        if lowercase {
            Self.appendLowercasedWithoutAccents(chunk, to: &normalized)
        } else {
            normalized.append(contentsOf: chunk)
        }
        var start = 0
        for (index, scalar) in normalized.enumerated() where Self.isPunctuation(scalar) {
            if start < index, !body(normalized[start..<index]) { return false }
            if !body(normalized[index...index]) { return false }
            start = index + 1
        }
        return start == normalized.count || body(normalized[start...])
    }

    /// `chunk` lower-cased scalar by scalar, then (when it is not all ASCII) decomposed to NFD with
    /// its nonspacing marks (category Mn) dropped.
    private static func appendLowercasedWithoutAccents(_ chunk: [Unicode.Scalar], to output: inout [Unicode.Scalar]) {
        var isASCII = true
        for scalar in chunk {
            if scalar.isASCII {
                let value = scalar.value
                output.append((65...90).contains(value) ? Unicode.Scalar(UInt8(value + 32)) : scalar)
            } else {
                isASCII = false
                output.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        guard !isASCII else { return }
        let decomposed = String(String.UnicodeScalarView(output)).decomposedStringWithCanonicalMapping
        output.removeAll(keepingCapacity: true)
        for scalar in decomposed.unicodeScalars where scalar.properties.generalCategory != .nonspacingMark {
            output.append(scalar)
        }
    }

    /// How the cleaning pass treats a scalar.
    private enum Kind {
        case dropped, whitespace, ideograph, other
    }

    private static func kind(of scalar: Unicode.Scalar) -> Kind {
        let value = scalar.value
        if value < 0x80 {
            switch value {
            case 0x20, 0x09, 0x0A, 0x0D: return .whitespace
            case 0..<0x20, 0x7F: return .dropped
            default: return .other
            }
        }
        if value == 0xFFFD { return .dropped }
        if isCJKIdeograph(value) { return .ideograph }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned: return .dropped
        case .spaceSeparator, .lineSeparator, .paragraphSeparator: return .whitespace
        default: return .other
        }
    }

    /// The CJK Unified Ideographs blocks (and compatibility ideographs) that BERT surrounds with
    /// spaces; kana and hangul are not among them and tokenize like letters.
    private static func isCJKIdeograph(_ value: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(value) || (0x3400...0x4DBF).contains(value)
            || (0x20000...0x2A6DF).contains(value) || (0x2A700...0x2B73F).contains(value)
            || (0x2B740...0x2B81F).contains(value) || (0x2B820...0x2CEAF).contains(value)
            || (0xF900...0xFAFF).contains(value) || (0x2F800...0x2FA1F).contains(value)
    }

    /// BERT's punctuation: every non-alphanumeric printable ASCII character (so `$`, `+`, `^`, `|`
    /// count) and every scalar of a Unicode punctuation category (P*).
    private static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 {
            return (33...47).contains(value) || (58...64).contains(value) || (91...96).contains(value)
                || (123...126).contains(value)
        }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }
}
