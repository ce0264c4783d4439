import LinearAlgebra
import SeededRandom
import XCTest

/// Asserts entrywise closeness, `|a - b| <= tolerance * (1 + |b|)`.
func assertClose(_ a: Matrix, _ b: Matrix, tolerance: Float, _ message: String = "",
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.rows, b.rows, message, file: file, line: line)
    XCTAssertEqual(a.cols, b.cols, message, file: file, line: line)
    guard a.values.count == b.values.count else { return }
    for i in a.values.indices where abs(a.values[i] - b.values[i]) > tolerance * (1 + abs(b.values[i])) {
        XCTFail("\(message): entry \(i) is \(a.values[i]), expected \(b.values[i])", file: file, line: line)
        return
    }
}

/// Random test inputs drawn from the project's seeded generator.
extension SplitMix64 {
    mutating func uniform(_ range: ClosedRange<Float> = -1...1) -> Float { Float.random(in: range, using: &self) }

    mutating func matrix(rows: Int, cols: Int) -> Matrix {
        Matrix(rows: rows, cols: cols, values: (0..<rows * cols).map { _ in uniform() })
    }

    /// A well-conditioned symmetric positive definite `[n, n]` matrix: `AᵀA + n I`.
    mutating func spdMatrix(_ n: Int) -> Matrix {
        var gram = Matrix.product(matrix(rows: n, cols: n), matrix(rows: n, cols: n).transposed())
        gram = Matrix.product(gram, gram, transposeA: true)
        for i in 0..<n { gram[i, i] += Float(n) }
        return gram
    }
}
