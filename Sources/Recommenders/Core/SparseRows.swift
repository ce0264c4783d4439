/// A binary sparse matrix in CSR form: row r's column indices are `columns[rowStart[r]..<rowStart[r+1]]`.
struct SparseRows {
    /// `[rowCount + 1]` offsets into `columns`.
    let rowStart: [Int]
    /// `[nnz]` column indices, sorted within each row.
    let columns: [Int32]

    var rowCount: Int { rowStart.count - 1 }

    func row(_ r: Int) -> ArraySlice<Int32> { columns[rowStart[r]..<rowStart[r + 1]] }

    /// The transpose (CSC of this matrix as CSR), with `columnCount` rows.
    func transposed(columnCount: Int) -> SparseRows {
        var start = [Int](repeating: 0, count: columnCount + 1)
        for column in columns { start[Int(column) + 1] += 1 }
        for c in 0..<columnCount { start[c + 1] += start[c] }
        var next = start
        var transposedColumns = [Int32](repeating: 0, count: columns.count)
        for r in 0..<rowCount {
            for column in row(r) {
                transposedColumns[next[Int(column)]] = Int32(r)
                next[Int(column)] += 1
            }
        }
        return SparseRows(rowStart: start, columns: transposedColumns)
    }
}
