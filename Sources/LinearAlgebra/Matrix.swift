import COpenBLAS

/// A dense row-major matrix of `Float`, `[rows, cols]`.
public struct Matrix {
    public var rows: Int
    public var cols: Int
    public var values: [Float]

    public init(rows: Int, cols: Int, repeating value: Float = 0) {
        self.rows = rows
        self.cols = cols
        self.values = [Float](repeating: value, count: rows * cols)
    }
}
