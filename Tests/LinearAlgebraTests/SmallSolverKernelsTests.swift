import LinearAlgebra
import SeededRandom
import XCTest

final class SmallSolverKernelsTests: XCTestCase {
    func testAddScaledGramMatchesReferenceOnTheUpperTriangle() {
        var random = SplitMix64(seed: 8)
        for trial in 0..<60 {
            let n = Int.random(in: 1...40, using: &random)
            let count = Int.random(in: 0...25, using: &random)
            let rows = random.matrix(rows: count, cols: n)
            let start = random.matrix(rows: n, cols: n)
            let alpha = random.uniform()
            var actual = start
            rows.values.withUnsafeBufferPointer { g in
                actual.values.withUnsafeMutableBufferPointer { a in
                    SIMDKernels.addScaledGram(alpha, of: g.baseAddress ?? UnsafePointer(a.baseAddress!), count: count, n: n,
                                              into: a.baseAddress!)
                }
            }
            let gram = ReferenceKernels.product(rows, rows, transposeA: true)
            for r in 0..<n {
                for c in 0..<n {
                    let updated = start[r, c] + alpha * gram[r, c]
                    if c >= r {
                        XCTAssertEqual(actual[r, c], updated, accuracy: 1e-4, "trial \(trial) n \(n) (\(r), \(c))")
                    } else {
                        XCTAssertTrue(actual[r, c] == start[r, c] || abs(actual[r, c] - updated) <= 1e-4,
                                      "below the diagonal: untouched or fully updated, trial \(trial) (\(r), \(c))")
                    }
                }
            }
        }
    }

    func testCholeskySolveMatchesLAPACK() throws {
        var random = SplitMix64(seed: 9)
        for n in [1, 2, 3, 5, 8, 9, 17, 32, 64, 100] {
            var a = random.spdMatrix(n)
            // Garbage below the diagonal must not matter.
            for r in 0..<n { for c in 0..<r { a[r, c] = 1e6 } }
            let b = (0..<n).map { _ in random.uniform() }
            let expected = try a.solveSPD(Matrix(rows: n, cols: 1, values: b))
            var factor = a.values
            var solution = b
            try SIMDKernels.choleskySolve(&factor, n: n, &solution)
            assertClose(Matrix(rows: n, cols: 1, values: solution), expected, tolerance: 1e-3, "order \(n)")
        }
    }

    func testCholeskySolveRejectsIndefiniteMatrices() {
        var a: [Float] = [1, 2, 2, 1]
        var b: [Float] = [1, 1]
        XCTAssertThrowsError(try SIMDKernels.choleskySolve(&a, n: 2, &b)) { error in
            XCTAssertEqual(error as? LinearAlgebraError, .notPositiveDefinite(order: 2, failingMinor: 2))
        }
    }
}
