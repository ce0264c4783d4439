import Foundation
import SeededRandom
import SemanticIDs
import XCTest

final class SemanticIDTrieTests: XCTestCase {
    func testFlatLayoutOfAHandBuiltTrie() throws {
        // Items: 0 -> (1, 0), 1 -> (0, 2), 2 -> (1, 3), 3 -> (0, 1)
        let codes = try SemanticIDCodes(codes: [1, 0, 0, 2, 1, 3, 0, 1], codebookSizes: [2, 4])
        let trie = try SemanticIDTrie(codes)
        XCTAssertEqual(trie.nodeCount, 1 + 2 + 4)
        XCTAssertEqual(trie.code, [-1, 0, 1, 1, 2, 0, 3])
        XCTAssertEqual(trie.item, [-1, -1, -1, 3, 1, 0, 2])
        XCTAssertEqual(Array(trie.validNextCodes(of: SemanticIDTrie.root)), [0, 1])
        XCTAssertEqual(Array(trie.validNextCodes(of: 1)), [1, 2])
        XCTAssertEqual(Array(trie.validNextCodes(of: 2)), [0, 3])
        XCTAssertEqual(trie.item(forCode: [1, 3]), 2)
        XCTAssertNil(trie.item(forCode: [1, 2]))
        XCTAssertNil(trie.item(forCode: [1]), "an inner node is not an item")
        XCTAssertEqual(trie.levelRanges, [1..<3, 3..<7])
        XCTAssertEqual(trie.itemCount, 4)
        // Per item: the root, then the node of its first code (node 1 holds code 0, node 2 code 1).
        XCTAssertEqual(trie.prefixNodes(of: codes), [0, 2, 0, 1, 0, 2, 0, 1])
        // Per item: the node of its first code, then its leaf.
        XCTAssertEqual(trie.pathNodes(of: codes), [2, 5, 1, 4, 2, 6, 1, 3])
        // Counts 3, 0, 1, 2: subtrees (0) = items 1, 3 -> 2 and (1) = items 0, 2 -> 4, of 6 in all.
        let expected: [Double] = [0, log(3 / 8), log(5 / 8), log(3 / 4), log(1 / 4), log(4 / 6), log(2 / 6)]
        for (found, wanted) in zip(trie.conditionalLogFrequencies(itemCounts: [3, 0, 1, 2]), expected) {
            XCTAssertEqual(Double(found), wanted, accuracy: 1e-6)
        }
    }

    /// Property: every item's tuple walks to its own leaf through its prefix and path nodes, every
    /// walk of valid codes ends at an item.
    func testEveryItemIsReachableAndEveryLeafIsAnItem() throws {
        var random = SplitMix64(seed: 3)
        var tuples = Set<[Int32]>()
        while tuples.count < 500 { tuples.insert((0..<3).map { _ in Int32(random.nextIndex(below: 12)) }) }
        let ordered = Array(tuples)
        let codes = try SemanticIDCodes(codes: ordered.flatMap { $0 }, codebookSizes: [12, 12, 12])
        let trie = try SemanticIDTrie(codes)
        let (prefixNodes, pathNodes) = (trie.prefixNodes(of: codes), trie.pathNodes(of: codes))
        for (item, tuple) in ordered.enumerated() {
            XCTAssertEqual(trie.item(forCode: tuple), item)
            for level in 0..<3 {
                XCTAssertEqual(Int(prefixNodes[item * 3 + level]), trie.node(forPrefix: tuple.prefix(level)))
                XCTAssertEqual(Int(pathNodes[item * 3 + level]), trie.node(forPrefix: tuple.prefix(level + 1)))
                XCTAssertTrue(trie.validNextCodes(of: Int(prefixNodes[item * 3 + level])).contains(tuple[level]))
            }
        }
        for node in 0..<trie.nodeCount {
            let next = Array(trie.validNextCodes(of: node))
            XCTAssertEqual(next, next.sorted())
            XCTAssertEqual(Set(next).count, next.count)
        }
        XCTAssertEqual(trie.levelRanges.last!.filter { trie.item[$0] >= 0 }.count, 500)
    }

    func testSharedCodesAreRejected() throws {
        let codes = try SemanticIDCodes(codes: [1, 1, 0, 0, 1, 1], codebookSizes: [2, 2])
        XCTAssertThrowsError(try SemanticIDTrie(codes)) {
            XCTAssertEqual("\($0)", "invalid input: items 0 and 2 share the code [1, 1]; make the codes unique first")
        }
    }
}
