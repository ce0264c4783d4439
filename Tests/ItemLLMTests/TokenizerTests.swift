import Foundation
import ItemLLM
import XCTest

final class BasicTokenizerTests: XCTestCase {
    let basic = BasicTokenizer()

    func testLowercasesAndStripsAccents() {
        XCTAssertEqual(basic.tokenize("Héllo WORLD Ça"), ["hello", "world", "ca"])
        XCTAssertEqual(basic.tokenize("naïve Amélie İSTANBUL"), ["naive", "amelie", "istanbul"])
    }

    func testLowercasesScalarByScalarWithoutFinalSigma() {
        XCTAssertEqual(basic.tokenize("ΣΟΦΟΣ"), ["σοφοσ"])
    }

    func testCasedTokenizerKeepsCaseAndAccents() {
        XCTAssertEqual(BasicTokenizer(lowercase: false).tokenize("Héllo, World"), ["Héllo", ",", "World"])
    }

    func testSplitsEveryPunctuationCharacter() {
        XCTAssertEqual(basic.tokenize("don't stop--now (ok) a+b=c $5 ¿qué?"),
                       ["don", "'", "t", "stop", "-", "-", "now", "(", "ok", ")", "a", "+", "b", "=", "c", "$", "5",
                        "¿", "que", "?"])
        XCTAssertEqual(basic.tokenize("...!"), [".", ".", ".", "!"])
    }

    func testSpacesCJKIdeographsButNotKana() {
        XCTAssertEqual(basic.tokenize("千と千尋 abc漢字def"), ["千", "と", "千", "尋", "abc", "漢", "字", "def"])
    }

    func testDecomposesHangulIntoJamo() {
        let words = basic.tokenize("한")
        XCTAssertEqual(words.count, 1)
        XCTAssertEqual(words.first.map { $0.unicodeScalars.map(\.value) }, [0x1112, 0x1161, 0x11AB])
    }

    func testDropsControlCharactersAndBreaksOnWhitespace() {
        XCTAssertEqual(basic.tokenize("a\tb\nc\r\nd\u{0}e\u{200B}f\u{7}g\u{FFFD}h\u{A0}i\u{E000}j\u{2028}k"),
                       ["a", "b", "c", "defgh", "ij", "k"])
        XCTAssertEqual(basic.tokenize(" \t\n "), [])
        XCTAssertEqual(basic.tokenize(""), [])
    }

    func testKeepsNonPunctuationSymbolsInsideWords() {
        let words = basic.tokenize("great😀 ❤️ 5€ Sony™")
        XCTAssertEqual(words, ["great😀", "❤", "5€", "sony™"])
        XCTAssertEqual(words[1].unicodeScalars.map(\.value), [0x2764], "the variation selector is a nonspacing mark")
    }
}

final class WordPieceTokenizerTests: XCTestCase {
    // ids:                   0        1     2      3       4        5          6        7    8      9     10
    let vocabulary = ["[UNK]", "un", "una", "##ff", "##ffa", "##able", "##ble", "a", "##b", "ab", "##a"]
    var wordPiece: WordPieceTokenizer { WordPieceTokenizer(tokens: vocabulary, unknownID: 0) }

    func testTakesTheLongestMatchThenContinuations() {
        XCTAssertEqual(wordPiece.encode("unaffable"), [2, 4, 6])
        XCTAssertEqual(wordPiece.encode("unable"), [2, 6])
        XCTAssertEqual(wordPiece.encode("ab"), [9])
        XCTAssertEqual(wordPiece.encode("abb"), [9, 8])
        XCTAssertEqual(wordPiece.encode("aaa"), [7, 10, 10])
    }

    func testUnsegmentableWordIsOneUnknown() {
        XCTAssertEqual(wordPiece.encode("unx"), [0])
        XCTAssertEqual(wordPiece.encode("ble"), [0], "continuation pieces do not start a word")
        XCTAssertEqual(wordPiece.encode("b"), [0])
    }

    func testWordsLongerThanOneHundredScalarsAreUnknown() {
        XCTAssertEqual(wordPiece.encode(String(repeating: "a", count: 100)), [7] + Array(repeating: 10, count: 99))
        XCTAssertEqual(wordPiece.encode(String(repeating: "a", count: 101)), [0])
    }

    func testLooksUpTokensAsWritten() {
        XCTAssertEqual(wordPiece.id(of: "##ble"), 6)
        XCTAssertEqual(wordPiece.id(of: "una"), 2)
        XCTAssertNil(wordPiece.id(of: "ble"))
        XCTAssertNil(wordPiece.id(of: "u"))
    }
}

final class BertTokenizerTests: XCTestCase {
    /// A `vocab.txt` holding `lines` in a fresh temporary folder.
    func vocabularyFile(_ lines: [String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("vocab.txt")
        try lines.map { $0 + "\n" }.joined().write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    func testTinyVocabularyEncodesWithSpecialsAndTruncates() throws {
        let tokenizer = try BertTokenizer(vocabularyURL: vocabularyFile(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "a", "b", "##b"]))
        XCTAssertEqual(tokenizer.vocabularySize, 7)
        XCTAssertEqual([tokenizer.paddingID, tokenizer.unknownID, tokenizer.classifierID, tokenizer.separatorID], [0, 1, 2, 3])
        XCTAssertEqual(tokenizer.tokenize("Ab A, c"), ["a", "##b", "a", "[UNK]", "[UNK]"])
        XCTAssertEqual(tokenizer.encode("ab a", maxLength: 10), [2, 4, 6, 4, 3])
        XCTAssertEqual(tokenizer.encode("ab a", maxLength: 5), [2, 4, 6, 4, 3])
        XCTAssertEqual(tokenizer.encode("ab a", maxLength: 4), [2, 4, 6, 3])
        XCTAssertEqual(tokenizer.encode("ab a", maxLength: 3), [2, 4, 3])
        XCTAssertEqual(tokenizer.encode("ab a", maxLength: 2), [2, 3])
        XCTAssertEqual(tokenizer.encode("", maxLength: 8), [2, 3])
        XCTAssertEqual(tokenizer.token(for: 6), "##b")
    }

    func testMissingEmptyAndIncompleteVocabulariesThrow() throws {
        let missing = URL(fileURLWithPath: "/nonexistent/vocab.txt")
        XCTAssertThrowsError(try BertTokenizer(vocabularyURL: missing)) { error in
            XCTAssertEqual(error as? ItemLLMError, .missingModelFile(path: missing.path))
        }
        let empty = try vocabularyFile([])
        XCTAssertThrowsError(try BertTokenizer(vocabularyURL: empty)) { error in
            XCTAssertEqual(error as? ItemLLMError, .malformedModelFile(path: empty.path, reason: "no tokens"))
        }
        let noClassifier = try vocabularyFile(["[PAD]", "[UNK]", "[SEP]", "a"])
        XCTAssertThrowsError(try BertTokenizer(vocabularyURL: noClassifier)) { error in
            XCTAssertEqual(error as? ItemLLMError, .malformedModelFile(path: noClassifier.path, reason: "no [CLS] token"))
        }
    }

    func testMiniLMVocabularyHasBERTsSpecialIds() throws {
        let tokenizer = try BertTokenizer(vocabularyURL: MiniLM.directory().vocabularyURL)
        XCTAssertEqual(tokenizer.vocabularySize, 30522)
        XCTAssertEqual([tokenizer.paddingID, tokenizer.unknownID, tokenizer.classifierID, tokenizer.separatorID],
                       [0, 100, 101, 102])
        XCTAssertEqual(tokenizer.token(for: 101), "[CLS]")
        XCTAssertEqual(tokenizer.tokenize("Unaffable!"), ["una", "##ffa", "##ble", "!"])
    }

    func testMatchesTheNumpyReferenceExactly() throws {
        let tokenizer = try BertTokenizer(vocabularyURL: MiniLM.directory().vocabularyURL)
        let reference = try MiniLMTokenizationFixture.load()
        XCTAssertEqual(reference.cases.count, 16)
        var truncated = 0
        for (index, reference) in reference.cases.enumerated() {
            let pieces = tokenizer.tokenize(reference.text)
            XCTAssertEqual(Array(pieces.prefix(126)), Array(reference.tokens.dropFirst().dropLast()), "case \(index)")
            XCTAssertEqual(tokenizer.encode(reference.text, maxLength: 128), reference.ids, "case \(index)")
            if pieces.count > 126 { truncated += 1 }
        }
        XCTAssertEqual(truncated, 1, "one case is truncated to 128 ids")
    }

    func testBatchEncodingMatchesOneByOneInOrder() throws {
        let tokenizer = try BertTokenizer(vocabularyURL: MiniLM.directory().vocabularyURL)
        let texts = try MiniLMTokenizationFixture.load().cases.map(\.text)
        let many = (0..<40).flatMap { copy in texts.map { "\(copy) \($0)" } }
        XCTAssertEqual(tokenizer.encode(many, maxLength: 32), many.map { tokenizer.encode($0, maxLength: 32) })
        XCTAssertEqual(tokenizer.encode([String](), maxLength: 32), [])
    }
}

/// The tokenizer half of `Fixtures/minilm_reference.json`.
struct MiniLMTokenizationFixture: Decodable {
    struct Case: Decodable {
        let text: String
        let tokens: [String]
        let ids: [Int32]
    }

    let cases: [Case]

    static func load() throws -> MiniLMTokenizationFixture {
        try JSONDecoder().decode(MiniLMTokenizationFixture.self, from: Data(contentsOf: MiniLM.fixtureURL))
    }
}
