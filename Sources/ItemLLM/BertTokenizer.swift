import Foundation
import NeuralNet

/// BERT's tokenizer (Devlin et al. 2019): `BasicTokenizer` (cleaning, CJK spacing, lower-casing,
/// accent stripping, punctuation splitting) then greedy longest-match-first WordPiece (Wu et al.
/// 2016) over a `vocab.txt`, with `[CLS]` and `[SEP]` around the pieces. For all-MiniLM-L6-v2 it
/// gives exactly the ids of the independent reference `tools/reference/minilm_reference.py`
/// (tested), which makes the Hugging Face tokenizer's choices where BERT implementations differ.
public struct BertTokenizer: Sendable {
    /// Id of `[CLS]`, the first token of every encoded text.
    public let classifierID: Int32
    /// Id of `[SEP]`, the last token of every encoded text.
    public let separatorID: Int32
    /// Id of `[PAD]`, for filling batches of unequal length.
    public let paddingID: Int32
    /// Id of `[UNK]`, a word the vocabulary cannot spell.
    public let unknownID: Int32

    /// Token strings by id (line order of `vocab.txt`).
    private let tokens: [String]
    private let basic: BasicTokenizer
    private let wordPiece: WordPieceTokenizer

    /// Loads `vocab.txt` (one token per line, id = line number from 0, UTF-8). `lowercase` for
    /// uncased models (lower-cases and strips accents). Throws `ItemLLMError.missingModelFile` when
    /// the file is absent and `.malformedModelFile` when it is not UTF-8, is empty or lacks one of
    /// `[CLS]`, `[SEP]`, `[PAD]`, `[UNK]`.
    public init(vocabularyURL: URL, lowercase: Bool = true) throws {
        let path = vocabularyURL.path
        guard FileManager.default.fileExists(atPath: path) else { throw ItemLLMError.missingModelFile(path: path) }
        guard let text = String(data: try Data(contentsOf: vocabularyURL), encoding: .utf8) else {
            throw ItemLLMError.malformedModelFile(path: path, reason: "not UTF-8 text")
        }
        var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
        if lines.last == "" { lines.removeLast() }
        guard !lines.isEmpty else { throw ItemLLMError.malformedModelFile(path: path, reason: "no tokens") }
        func special(_ token: String) throws -> Int32 {
            guard let id = lines.lastIndex(of: token) else {
                throw ItemLLMError.malformedModelFile(path: path, reason: "no \(token) token")
            }
            return Int32(id)
        }
        classifierID = try special("[CLS]")
        separatorID = try special("[SEP]")
        paddingID = try special("[PAD]")
        unknownID = try special("[UNK]")
        wordPiece = WordPieceTokenizer(tokens: lines, unknownID: unknownID)
        tokens = lines
        basic = BasicTokenizer(lowercase: lowercase)
    }

    /// Number of tokens in the vocabulary (ids `0..<vocabularySize`).
    public var vocabularySize: Int { tokens.count }

    /// The token string of `id` (`0..<vocabularySize`), continuation pieces with their `##`.
    public func token(for id: Int32) -> String {
        precondition(id >= 0 && Int(id) < tokens.count, "token id \(id) outside 0..<\(tokens.count)")
        return tokens[Int(id)]
    }

    /// The word pieces of `text`, without `[CLS]`/`[SEP]` and untruncated:
    /// `"Unaffable!"` gives `["una", "##ffa", "##ble", "!"]` with BERT's uncased vocabulary.
    public func tokenize(_ text: String) -> [String] {
        var ids: [Int32] = []
        basic.forEachWord(in: text) { word in
            wordPiece.append(word, to: &ids)
            return true
        }
        return ids.map { tokens[Int($0)] }
    }

    /// `[CLS]`, the word-piece ids of `text`, `[SEP]`: at most `maxLength` (≥ 2) ids, the pieces
    /// cut after the first `maxLength - 2`. Stops reading `text` once the bound is reached.
    public func encode(_ text: String, maxLength: Int) -> [Int32] {
        precondition(maxLength >= 2, "maxLength \(maxLength) leaves no room for [CLS] and [SEP]")
        var ids: [Int32] = [classifierID]
        let bound = maxLength - 1
        basic.forEachWord(in: text) { word in
            wordPiece.append(word, to: &ids)
            return ids.count < bound
        }
        if ids.count > bound { ids.removeSubrange(bound...) }
        ids.append(separatorID)
        return ids
    }

    /// `encode(_:maxLength:)` of each of `texts`, in the same order, tokenized in parallel on
    /// Dispatch's worker threads (chunks of contiguous texts).
    public func encode(_ texts: [String], maxLength: Int) -> [[Int32]] {
        precondition(maxLength >= 2, "maxLength \(maxLength) leaves no room for [CLS] and [SEP]")
        var encoded = [[Int32]](repeating: [], count: texts.count)
        encoded.withUnsafeMutableBufferPointer { output in
            let chunkCount = 4 * ProcessInfo.processInfo.activeProcessorCount
            Parallel.forEachChunk(count: texts.count, chunkCount: chunkCount) { _, range in
                for index in range { output[index] = encode(texts[index], maxLength: maxLength) }
            }
        }
        return encoded
    }
}
