import LinearAlgebra
import SeededRandom
import XCTest

final class CholeskyTests: XCTestCase {
    func testInverseByHand() throws {
        // [[4, 2], [2, 3]]^-1 = [[3, -2], [-2, 4]] / 8.
        let a = Matrix(rows: 2, cols: 2, values: [4, 2, 2, 3])
        assertClose(try a.inverseSPD(), Matrix(rows: 2, cols: 2, values: [0.375, -0.25, -0.25, 0.5]), tolerance: 1e-6)
    }

    func testInverseTimesMatrixIsIdentity() throws {
        var random = SplitMix64(seed: 4)
        for n in [1, 2, 3, 7, 16, 33, 64] {
            let a = random.spdMatrix(n)
            let inverse = try a.inverseSPD()
            XCTAssertEqual(inverse, inverse.transposed(), "inverse of order \(n) is symmetric")
            assertClose(Matrix.product(a, inverse), .identity(n), tolerance: 1e-3, "order \(n)")
        }
    }

    func testInverseReadsOnlyTheUpperTriangle() throws {
        var a = Matrix(rows: 2, cols: 2, values: [4, 2, 2, 3])
        let expected = try a.inverseSPD()
        a[1, 0] = 1000
        XCTAssertEqual(try a.inverseSPD(), expected)
    }

    func testSolveMatchesProduct() throws {
        var random = SplitMix64(seed: 5)
        for n in [1, 4, 9, 32] {
            let a = random.spdMatrix(n)
            let x = random.matrix(rows: n, cols: 3)
            let solved = try a.solveSPD(Matrix.product(a, x))
            assertClose(solved, x, tolerance: 1e-3, "order \(n)")
        }
    }

    func testRawSolveTakesOneContiguousVectorPerRightHandSide() throws {
        var a: [Float] = [4, 2, 2, 3]
        // Right-hand sides A·(1, 1) = (6, 5) and A·(1, -1) = (2, -1).
        var b: [Float] = [6, 5, 2, -1]
        try LAPACK.solveSPD(&a, n: 2, &b, rightHandSides: 2)
        for (value, expected) in zip(b, [Float(1), 1, 1, -1]) { XCTAssertEqual(value, expected, accuracy: 1e-5) }
    }

    func testNonPositiveDefiniteThrows() {
        // Eigenvalues 3 and -1.
        let indefinite = Matrix(rows: 2, cols: 2, values: [1, 2, 2, 1])
        XCTAssertThrowsError(try indefinite.inverseSPD()) { error in
            XCTAssertEqual(error as? LinearAlgebraError, .notPositiveDefinite(order: 2, failingMinor: 2))
        }
        XCTAssertThrowsError(try indefinite.solveSPD(Matrix(rows: 2, cols: 1, values: [1, 1]))) { error in
            XCTAssertEqual(error as? LinearAlgebraError, .notPositiveDefinite(order: 2, failingMinor: 2))
        }
        let negative = Matrix(rows: 1, cols: 1, values: [-1])
        XCTAssertThrowsError(try negative.inverseSPD()) { error in
            XCTAssertEqual(error as? LinearAlgebraError, .notPositiveDefinite(order: 1, failingMinor: 1))
        }
    }
}
