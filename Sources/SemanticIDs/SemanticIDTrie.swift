import Foundation

/// The prefix tree of a unique code set in flat arrays: the structure constrained beam search
/// walks, so that every decoded tuple is a real item (TIGER, Rajput et al. 2023, §3.2).
///
/// Nodes are stored level by level (breadth first); node 0 is the root (the empty prefix). For
/// every node, `firstChild[node]` and `childCount[node]` give the contiguous range of its
/// children, whose edge codes (`code`) are sorted ascending, so the valid next codes of a prefix
/// are one slice away and a particular child is a binary search. A node at depth `levels` is a
/// leaf and `item[node]` is its item (−1 on inner nodes).
public struct SemanticIDTrie: Equatable, Sendable {
    /// Code positions per item (the depth of every leaf).
    public let levels: Int
    /// Per node, the index of its first child (meaningless when it has none), `[nodes]`.
    public private(set) var firstChild: [Int32]
    /// Per node, how many children it has, `[nodes]`.
    public private(set) var childCount: [Int32]
    /// Per node, the code on the edge from its parent (−1 for the root), `[nodes]`.
    public private(set) var code: [Int32]
    /// Per node, the item of a leaf, −1 for inner nodes, `[nodes]`.
    public private(set) var item: [Int32]
    /// Per level, the range of node indices at depth `level + 1`.
    public private(set) var levelRanges: [Range<Int>]

    /// The root's index.
    public static let root = 0

    /// The trie of `codes`, which must give every item a distinct tuple.
    /// - Throws: `SemanticIDError.invalidInput` naming two items that share a tuple.
    public init(_ codes: SemanticIDCodes) throws {
        let levels = codes.levels, n = codes.count
        let order = (0..<n).sorted { a, b in
            let lhs = codes[a], rhs = codes[b]
            return lhs.lexicographicallyPrecedes(rhs) || (lhs == rhs && a < b)
        }
        for (a, b) in zip(order, order.dropFirst()) where codes[a] == codes[b] {
            throw SemanticIDError.invalidInput("items \(a) and \(b) share the code \(codes.tuple(of: a)); make the codes unique first")
        }
        self.levels = levels
        firstChild = [0]
        childCount = [0]
        code = [-1]
        item = [-1]
        levelRanges = []
        // nodeOf[position in `order`] = the node of that item's prefix at the current depth.
        var nodeOf = [Int](repeating: Self.root, count: n)
        for depth in 1...levels {
            let levelStart = code.count
            var previous: ArraySlice<Int32>? = nil
            for (position, member) in order.enumerated() {
                let prefix = codes[member].prefix(depth)
                let parent = nodeOf[position]
                if prefix != previous {
                    if childCount[parent] == 0 { firstChild[parent] = Int32(code.count) }
                    childCount[parent] += 1
                    firstChild.append(0)
                    childCount.append(0)
                    code.append(prefix.last!)
                    item.append(depth == levels ? Int32(member) : -1)
                    previous = prefix
                }
                nodeOf[position] = code.count - 1
            }
            levelRanges.append(levelStart..<code.count)
        }
    }

    /// Number of nodes, the root included.
    public var nodeCount: Int { code.count }

    /// Number of items (leaves).
    public var itemCount: Int { levelRanges.last.map(\.count) ?? 0 }

    /// The children of `node`, as a range of node indices (empty for a leaf).
    public func children(of node: Int) -> Range<Int> {
        let first = Int(firstChild[node])
        return first..<first + Int(childCount[node])
    }

    /// The codes that may follow `node`'s prefix, ascending.
    public func validNextCodes(of node: Int) -> ArraySlice<Int32> { code[children(of: node)] }

    /// The child of `node` along `edge`, or nil when no item continues the prefix that way.
    public func child(of node: Int, code edge: Int32) -> Int? {
        var range = children(of: node)
        while !range.isEmpty {
            let middle = range.lowerBound + range.count / 2
            if code[middle] == edge { return middle }
            if code[middle] < edge { range = middle + 1..<range.upperBound } else { range = range.lowerBound..<middle }
        }
        return nil
    }

    /// The node of `prefix` (the root for an empty one), or nil when no item starts with it.
    public func node(forPrefix prefix: some Sequence<Int32>) -> Int? {
        var node = Self.root
        for edge in prefix {
            guard let next = child(of: node, code: edge) else { return nil }
            node = next
        }
        return node
    }

    /// Per item of `codes` (the codes the trie was built from) and level `l`, the node of the
    /// item's first `l` codes, whose children are the codes allowed at level `l`, `[count, levels]`.
    public func prefixNodes(of codes: SemanticIDCodes) -> [Int32] {
        let path = pathNodes(of: codes)
        return path.indices.map { index in index % levels == 0 ? Int32(Self.root) : path[index - 1] }
    }

    /// Per item of `codes` (the codes the trie was built from) and level `l`, the node its first
    /// `l + 1` codes lead to (at the last level, the item's leaf), `[count, levels]`.
    public func pathNodes(of codes: SemanticIDCodes) -> [Int32] {
        precondition(codes.levels == levels, "the codes have \(codes.levels) levels, the trie \(levels)")
        var nodes = [Int32](repeating: 0, count: codes.count * levels)
        for item in 0..<codes.count {
            var node = Self.root
            for level in 0..<levels {
                guard let next = child(of: node, code: codes.codes[item * levels + level]) else {
                    preconditionFailure("item \(item)'s code is not in the trie")
                }
                node = next
                nodes[item * levels + level] = Int32(node)
            }
        }
        return nodes
    }

    /// Per node, the add-one smoothed log share of its parent's count that its subtree holds,
    /// `log((n_node + 1) / (n_parent + children(parent)))`, where a node's count sums `itemCounts`
    /// (`[itemCount]`, indexed by item) over the items below it; 0 for the root, `[nodes]`. Summed
    /// along an item's path they give the log of its smoothed frequency, level by level.
    public func conditionalLogFrequencies(itemCounts: [Int]) -> [Float] {
        precondition(itemCounts.count == itemCount, "\(itemCounts.count) counts for \(itemCount) items")
        var counts = [Int](repeating: 0, count: nodeCount)
        for leaf in levelRanges.last ?? 0..<0 { counts[leaf] = itemCounts[Int(item[leaf])] }
        // Children follow their parents in breadth-first order, so a backward pass adds up every subtree.
        for node in (0..<nodeCount).reversed() {
            for child in children(of: node) { counts[node] += counts[child] }
        }
        var logFrequencies = [Float](repeating: 0, count: nodeCount)
        for node in 0..<nodeCount {
            let range = children(of: node)
            guard !range.isEmpty else { continue }
            let denominator = Double(counts[node] + range.count)
            for child in range { logFrequencies[child] = Float(log(Double(counts[child] + 1) / denominator)) }
        }
        return logFrequencies
    }

    /// The item whose whole tuple is `codes`, or nil.
    public func item(forCode codes: some Sequence<Int32>) -> Int? {
        guard let node = node(forPrefix: codes), levelRanges.last?.contains(node) == true else { return nil }
        return Int(item[node])
    }
}
