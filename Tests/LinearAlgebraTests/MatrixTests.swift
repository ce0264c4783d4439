import LinearAlgebra
import XCTest

final class MatrixTests: XCTestCase {
    func testRowMajorLayoutAndTranspose() {
        let m = Matrix(rows: 2, cols: 3, values: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(m[1, 0], 4)
        XCTAssertEqual(Array(m.row(1)), [4, 5, 6])
        XCTAssertEqual(m.transposed(), Matrix(rows: 3, cols: 2, values: [1, 4, 2, 5, 3, 6]))
        XCTAssertEqual(Matrix.identity(2).values, [1, 0, 0, 1])
    }

    func testMirrorUpperTriangle() {
        var m = Matrix(rows: 3, cols: 3, values: [1, 2, 3, 9, 4, 5, 9, 9, 6])
        m.mirrorUpperTriangle()
        XCTAssertEqual(m.values, [1, 2, 3, 2, 4, 5, 3, 5, 6])
    }
}
