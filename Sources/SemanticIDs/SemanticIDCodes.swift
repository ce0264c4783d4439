/// A catalogue's semantic IDs (TIGER, Rajput et al. 2023): every item is a short tuple of codes,
/// one per level, level `l`'s code in `0..<codebookSizes[l]`.
///
/// `codes` is `[count, levels]`, row-major: row `i` is internal item `i`'s code tuple. Items that
/// share a prefix are similar at that granularity; a set made unique (`UniqueCodes`) gives every
/// item a tuple of its own.
public struct SemanticIDCodes: Equatable, Sendable {
    /// Codebook size per level (a disambiguation level's size is its largest group).
    public let codebookSizes: [Int]
    /// `[count, levels]`, row-major.
    public private(set) var codes: [Int32]

    /// Codes `[count, codebookSizes.count]`; throws when a code lies outside its level's codebook.
    public init(codes: [Int32], codebookSizes: [Int]) throws {
        guard !codebookSizes.isEmpty, codebookSizes.allSatisfy({ $0 >= 1 }) else {
            throw SemanticIDError.invalidInput("a code set needs at least one level, each with a codebook of at least one code")
        }
        let levels = codebookSizes.count
        guard codes.count % levels == 0 else {
            throw SemanticIDError.invalidInput("\(codes.count) codes are not [count, \(levels)]")
        }
        for (position, code) in codes.enumerated() where code < 0 || Int(code) >= codebookSizes[position % levels] {
            throw SemanticIDError.invalidInput("item \(position / levels) has code \(code) at level \(position % levels + 1), outside 0..<\(codebookSizes[position % levels])")
        }
        self.codes = codes
        self.codebookSizes = codebookSizes
    }

    /// Number of levels (code positions per item).
    public var levels: Int { codebookSizes.count }

    /// Number of items.
    public var count: Int { codes.count / levels }

    /// Item `item`'s code tuple, `[levels]`.
    public subscript(item: Int) -> ArraySlice<Int32> { codes[item * levels..<(item + 1) * levels] }

    /// Item `item`'s code tuple as an array.
    public func tuple(of item: Int) -> [Int32] { Array(self[item]) }

    /// The tuples of `items`, one after another, `[items.count, levels]` row-major.
    public func tuples(of items: some Sequence<Int32>) -> [Int32] {
        var result: [Int32] = []
        result.reserveCapacity(items.underestimatedCount * levels)
        for item in items { result.append(contentsOf: self[Int(item)]) }
        return result
    }

    /// Appends one item's `tuple` (`[levels]`), which must fit the codebooks.
    public mutating func append(_ tuple: [Int32]) throws {
        guard tuple.count == levels else {
            throw SemanticIDError.invalidInput("a code of \(tuple.count) levels for a set of \(levels)")
        }
        for (level, code) in tuple.enumerated() where code < 0 || Int(code) >= codebookSizes[level] {
            throw SemanticIDError.invalidInput("code \(code) at level \(level + 1) lies outside 0..<\(codebookSizes[level])")
        }
        codes += tuple
    }

    /// The same items with only the first `depth` levels.
    public func prefix(_ depth: Int) -> SemanticIDCodes {
        precondition((1...levels).contains(depth), "prefix depth must lie in 1...\(levels)")
        var kept = [Int32]()
        kept.reserveCapacity(count * depth)
        for item in 0..<count { kept += self[item].prefix(depth) }
        return try! SemanticIDCodes(codes: kept, codebookSizes: Array(codebookSizes.prefix(depth)))
    }

    /// Groups of items sharing their whole code tuple, in order of each group's first item; each
    /// group lists its items in ascending order.
    public func groupsSharingCode() -> [[Int]] {
        var groupOf: [ArraySlice<Int32>: Int] = [:]
        var groups: [[Int]] = []
        for item in 0..<count {
            if let group = groupOf[self[item]] {
                groups[group].append(item)
            } else {
                groupOf[self[item]] = groups.count
                groups.append([item])
            }
        }
        return groups
    }

    /// Whether every item has a tuple no other item has.
    public var isUnique: Bool { groupsSharingCode().count == count }
}
