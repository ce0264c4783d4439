/// A dense row-major matrix of `Float`, `[rows, cols]`: entry `(r, c)` is `values[r * cols + c]`.
public struct Matrix: Equatable, Sendable {
    /// Number of rows.
    public var rows: Int
    /// Number of columns (the row stride of `values`).
    public var cols: Int
    /// The entries, row-major, `[rows * cols]`.
    public var values: [Float]

    /// A `[rows, cols]` matrix with every entry equal to `value`.
    public init(rows: Int, cols: Int, repeating value: Float = 0) {
        precondition(rows >= 0 && cols >= 0, "matrix dimensions must be non-negative")
        self.rows = rows
        self.cols = cols
        self.values = [Float](repeating: value, count: rows * cols)
    }

    /// A `[rows, cols]` matrix over row-major `values` (`values.count == rows * cols`).
    public init(rows: Int, cols: Int, values: [Float]) {
        precondition(rows >= 0 && cols >= 0, "matrix dimensions must be non-negative")
        precondition(values.count == rows * cols, "expected \(rows * cols) values, got \(values.count)")
        self.rows = rows
        self.cols = cols
        self.values = values
    }

    /// The `[n, n]` identity matrix.
    public static func identity(_ n: Int) -> Matrix {
        var matrix = Matrix(rows: n, cols: n)
        for i in 0..<n { matrix[i, i] = 1 }
        return matrix
    }

    /// Entry at row `row`, column `col`.
    public subscript(row: Int, col: Int) -> Float {
        get { values[row * cols + col] }
        set { values[row * cols + col] = newValue }
    }

    /// Row `r` as a slice of `values`, `[cols]`.
    public func row(_ r: Int) -> ArraySlice<Float> { values[r * cols..<(r + 1) * cols] }

    /// The `[cols, rows]` transpose.
    public func transposed() -> Matrix {
        var result = Matrix(rows: cols, cols: rows)
        for r in 0..<rows {
            for c in 0..<cols { result.values[c * rows + r] = values[r * cols + c] }
        }
        return result
    }

    /// Copies the upper triangle onto the lower one, making a square matrix symmetric
    /// (BLAS `syrk` and LAPACK `spotri` fill only one triangle).
    public mutating func mirrorUpperTriangle() {
        precondition(rows == cols, "only a square matrix can be symmetric")
        let n = rows
        values.withUnsafeMutableBufferPointer { a in
            for r in 1..<max(n, 1) {
                for c in 0..<r { a[r * n + c] = a[c * n + r] }
            }
        }
    }
}
