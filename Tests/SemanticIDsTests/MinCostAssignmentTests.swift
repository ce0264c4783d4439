import SeededRandom
import SemanticIDs
import XCTest

final class MinCostAssignmentTests: XCTestCase {
    func testHandWorkedExample() {
        // Greedy takes (0,0)=1 and leaves row 1 with 100; the optimum is (0,1)+(1,0) = 2 + 3.
        let costs: [Double] = [1, 2, 9,
                               3, 100, 100]
        XCTAssertEqual(MinCostAssignment.solve(costs: costs, rows: 2, columns: 3), [1, 0])
    }

    /// Property: on random small problems the total equals the brute-force optimum and columns are distinct.
    func testMatchesBruteForceOnRandomProblems() {
        var random = SplitMix64(seed: 5)
        for trial in 0..<200 {
            let rows = 1 + random.nextIndex(below: 4), columns = rows + random.nextIndex(below: 3)
            let costs = (0..<rows * columns).map { _ in Double(random.nextIndex(below: 10)) }
            let assignment = MinCostAssignment.solve(costs: costs, rows: rows, columns: columns)
            XCTAssertEqual(Set(assignment).count, rows, "trial \(trial)")
            let total = assignment.enumerated().reduce(0.0) { $0 + costs[$1.offset * columns + $1.element] }
            XCTAssertEqual(total, bruteForce(costs, rows: rows, columns: columns), "trial \(trial)")
        }
    }

    private func bruteForce(_ costs: [Double], rows: Int, columns: Int, row: Int = 0, used: Set<Int> = []) -> Double {
        guard row < rows else { return 0 }
        return (0..<columns).filter { !used.contains($0) }
            .map { costs[row * columns + $0] + bruteForce(costs, rows: rows, columns: columns, row: row + 1, used: used.union([$0])) }
            .min()!
    }
}
