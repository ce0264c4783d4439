/// Greedy longest-match-first WordPiece segmentation of one word over a fixed vocabulary (Wu et
/// al. 2016, "Google's Neural Machine Translation System", §4.1; as used by BERT, Devlin et al.
/// 2019): the longest vocabulary token that starts the word is taken, then repeatedly the longest
/// `##`-prefixed continuation token matching what follows. A word with no full segmentation, or
/// longer than `maxWordLength` scalars, becomes the single unknown token.
///
/// The vocabulary is held as a trie over Unicode scalars with two roots, one for word-initial
/// tokens and one for continuations (their `##` removed), so a match costs one hash lookup per
/// scalar.
public struct WordPieceTokenizer: Sendable {
    /// Id of the unknown token (`[UNK]`), given for an unsegmentable or too long word.
    public let unknownID: Int32
    /// Longest word, in Unicode scalars, that is segmented (BERT uses 100).
    public let maxWordLength: Int

    /// Child node of the trie, keyed by `parent << 21 | scalar` (scalars fit in 21 bits).
    private let children: [UInt64: Int32]
    /// Token id ending at each node, -1 where none does.
    private let nodeTokens: [Int32]
    private static let wordStartRoot: Int32 = 0
    private static let continuationRoot: Int32 = 1

    /// A tokenizer over `tokens` (token id = index; a token listed twice keeps its last id), with
    /// `unknownID` for words it cannot segment.
    public init(tokens: [String], unknownID: Int32, maxWordLength: Int = 100) {
        var children: [UInt64: Int32] = [:]
        var nodeTokens: [Int32] = [-1, -1]
        func insert(_ scalars: Substring.UnicodeScalarView, from root: Int32, id: Int32) {
            var node = root
            for scalar in scalars {
                let key = UInt64(node) << 21 | UInt64(scalar.value)
                if let child = children[key] {
                    node = child
                } else {
                    let child = Int32(nodeTokens.count)
                    nodeTokens.append(-1)
                    children[key] = child
                    node = child
                }
            }
            nodeTokens[Int(node)] = id
        }
        for (index, token) in tokens.enumerated() where !token.isEmpty {
            let id = Int32(index)
            insert(Substring(token).unicodeScalars, from: Self.wordStartRoot, id: id)
            if token.hasPrefix("##"), token.unicodeScalars.count > 2 {
                insert(Substring(token).unicodeScalars.dropFirst(2), from: Self.continuationRoot, id: id)
            }
        }
        self.children = children
        self.nodeTokens = nodeTokens
        self.unknownID = unknownID
        self.maxWordLength = maxWordLength
    }

    /// The id of `token` exactly as written (a continuation token with its `##`), nil when it is
    /// not in the vocabulary.
    public func id(of token: String) -> Int32? {
        let scalars = Array(token.unicodeScalars)
        let (id, end) = longestMatch(scalars[...], from: Self.wordStartRoot)
        return end == scalars.count && !scalars.isEmpty ? id : nil
    }

    /// The token ids of one word (no whitespace or punctuation inside), `[unknownID]` when it
    /// cannot be segmented. `"unaffable"` gives the ids of `["una", "##ffa", "##ble"]` in BERT's
    /// uncased vocabulary.
    public func encode(_ word: String) -> [Int32] {
        var ids: [Int32] = []
        append(Array(word.unicodeScalars)[...], to: &ids)
        return ids
    }

    /// Appends the token ids of `word` to `ids`: its pieces, or `unknownID` alone.
    func append(_ word: ArraySlice<Unicode.Scalar>, to ids: inout [Int32]) {
        guard !word.isEmpty else { return }
        guard word.count <= maxWordLength else {
            ids.append(unknownID)
            return
        }
        let firstPiece = ids.count
        var start = word.startIndex
        var root = Self.wordStartRoot
        while start < word.endIndex {
            let (id, end) = longestMatch(word[start...], from: root)
            guard end > start else {
                ids.removeSubrange(firstPiece...)
                ids.append(unknownID)
                return
            }
            ids.append(id)
            start = end
            root = Self.continuationRoot
        }
    }

    /// The token of the longest vocabulary prefix of `scalars` under `root` and the index just after
    /// it; the end is `scalars.startIndex` when no prefix is a token.
    private func longestMatch(_ scalars: ArraySlice<Unicode.Scalar>, from root: Int32) -> (id: Int32, end: Int) {
        var node = root
        var best: (id: Int32, end: Int) = (unknownID, scalars.startIndex)
        var index = scalars.startIndex
        while index < scalars.endIndex, let child = children[UInt64(node) << 21 | UInt64(scalars[index].value)] {
            node = child
            index += 1
            let id = nodeTokens[Int(node)]
            if id >= 0 { best = (id, index) }
        }
        return best
    }
}
