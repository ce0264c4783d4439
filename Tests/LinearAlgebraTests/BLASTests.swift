import Dispatch
import LinearAlgebra
import SeededRandom
import XCTest

final class BLASTests: XCTestCase {
    func testProductByHand() {
        let a = Matrix(rows: 2, cols: 3, values: [1, 2, 3, 4, 5, 6])
        let b = Matrix(rows: 3, cols: 2, values: [7, 8, 9, 10, 11, 12])
        XCTAssertEqual(Matrix.product(a, b).values, [58, 64, 139, 154])
        XCTAssertEqual(Matrix.product(a, a, transposeB: true).values, [14, 32, 32, 77])
        XCTAssertEqual(a.multiply([1, 0, -1]), [-2, -2])
        XCTAssertEqual(a.multiply([1, -1], transpose: true), [-3, -3, -3])
    }

    func testGemmMatchesReferenceOverRandomShapesAndTransposes() {
        var random = SplitMix64(seed: 1)
        for trial in 0..<60 {
            let (m, n, k) = (Int.random(in: 1...40, using: &random), Int.random(in: 1...40, using: &random),
                             Int.random(in: 1...40, using: &random))
            let (transposeA, transposeB) = (Bool.random(using: &random), Bool.random(using: &random))
            let a = transposeA ? random.matrix(rows: k, cols: m) : random.matrix(rows: m, cols: k)
            let b = transposeB ? random.matrix(rows: n, cols: k) : random.matrix(rows: k, cols: n)
            let expected = ReferenceKernels.product(a, b, transposeA: transposeA, transposeB: transposeB)
            assertClose(Matrix.product(a, b, transposeA: transposeA, transposeB: transposeB), expected,
                        tolerance: 1e-4, "trial \(trial) [\(m),\(n),\(k)] tA=\(transposeA) tB=\(transposeB)")

            // alpha/beta accumulation into an existing matrix.
            let start = random.matrix(rows: m, cols: n)
            var c = start
            c.addProduct(a, b, transposeA: transposeA, transposeB: transposeB, alpha: 0.5, beta: -2)
            let expectedSum = Matrix(rows: m, cols: n, values: zip(expected.values, start.values).map { 0.5 * $0 - 2 * $1 })
            assertClose(c, expectedSum, tolerance: 1e-4, "accumulate trial \(trial)")
        }
    }

    func testSingleThreadedCallersMayOverlapAndNest() {
        let before = BLAS.threadCount
        let a: [Float] = (0..<64 * 64).map { Float($0 % 7) }
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            BLAS.singleThreaded {
                XCTAssertEqual(BLAS.threadCount, 1)
                BLAS.singleThreaded { XCTAssertEqual(BLAS.threadCount, 1) }
                var c = [Float](repeating: 0, count: 64 * 64)
                BLAS.gemm(m: 64, n: 64, k: 64, a: a, lda: 64, b: a, ldb: 64, c: &c, ldc: 64)
                XCTAssertEqual(BLAS.threadCount, 1)
            }
        }
        XCTAssertEqual(BLAS.threadCount, before)
    }

    func testRawGemmHonoursLeadingDimensions() {
        // A is the left [2, 2] block of a [2, 3] buffer, C the right [2, 2] block of a [2, 3] buffer.
        let a: [Float] = [1, 2, 99, 3, 4, 99]
        let b: [Float] = [1, 0, 0, 1]
        var c = [Float](repeating: -1, count: 6)
        BLAS.gemm(m: 2, n: 2, k: 2, a: a, lda: 3, b: b, ldb: 2, c: &c[1], ldc: 3)
        XCTAssertEqual(c, [-1, 1, 2, -1, 3, 4])
    }

    func testGemvMatchesReference() {
        var random = SplitMix64(seed: 2)
        for _ in 0..<30 {
            let (rows, cols) = (Int.random(in: 1...50, using: &random), Int.random(in: 1...50, using: &random))
            let a = random.matrix(rows: rows, cols: cols)
            let transpose = Bool.random(using: &random)
            let x = (0..<(transpose ? rows : cols)).map { _ in random.uniform() }
            let xColumn = Matrix(rows: x.count, cols: 1, values: x)
            let expected = ReferenceKernels.product(a, xColumn, transposeA: transpose)
            let actual = Matrix(rows: expected.rows, cols: 1, values: a.multiply(x, transpose: transpose))
            assertClose(actual, expected, tolerance: 1e-4, "gemv [\(rows),\(cols)] t=\(transpose)")
        }
    }

    func testGramMatchesReference() {
        var random = SplitMix64(seed: 3)
        for _ in 0..<20 {
            let a = random.matrix(rows: Int.random(in: 1...30, using: &random), cols: Int.random(in: 1...30, using: &random))
            assertClose(Matrix.gram(a), ReferenceKernels.product(a, a, transposeA: true), tolerance: 1e-4)
        }
    }

    func testEmptyShapes() {
        let empty = Matrix(rows: 0, cols: 3)
        XCTAssertEqual(Matrix.product(empty, Matrix(rows: 3, cols: 2)), Matrix(rows: 0, cols: 2))
        XCTAssertEqual(Matrix.product(Matrix(rows: 2, cols: 0), Matrix(rows: 0, cols: 2)), Matrix(rows: 2, cols: 2))
        XCTAssertEqual(Matrix.gram(empty), Matrix(rows: 3, cols: 3))
    }
}
