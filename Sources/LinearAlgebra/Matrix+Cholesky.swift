extension Matrix {
    /// The inverse of this symmetric positive definite matrix, by Cholesky (`LAPACK.invertSPD`).
    ///
    /// Only the upper triangle is read. - Throws: `LinearAlgebraError.notPositiveDefinite`.
    public func inverseSPD() throws -> Matrix {
        var result = self
        try result.invertSPD()
        return result
    }

    /// Replaces this symmetric positive definite matrix by its inverse, in its own buffer (no
    /// second `[n, n]` copy: EASE inverts catalogue-sized Gram matrices this way).
    ///
    /// Only the upper triangle is read. - Throws: `LinearAlgebraError.notPositiveDefinite` (then
    /// the matrix holds a partial factor).
    public mutating func invertSPD() throws {
        precondition(rows == cols, "invertSPD needs a square matrix, got [\(rows), \(cols)]")
        guard rows > 0 else { return }
        let n = rows
        try values.withUnsafeMutableBufferPointer { try LAPACK.invertSPD($0.baseAddress!, n: n) }
    }

    /// Solves `self * X = b` for this symmetric positive definite `[n, n]` matrix; `b` is `[n, nrhs]`.
    ///
    /// Only the upper triangle is read. - Throws: `LinearAlgebraError.notPositiveDefinite`.
    public func solveSPD(_ b: Matrix) throws -> Matrix {
        precondition(rows == cols, "solveSPD needs a square matrix, got [\(rows), \(cols)]")
        precondition(b.rows == rows, "right-hand side has \(b.rows) rows, expected \(rows)")
        guard rows > 0, b.cols > 0 else { return b }
        var factor = values
        var solutions = b.transposed()
        try factor.withUnsafeMutableBufferPointer { pa in
            try solutions.values.withUnsafeMutableBufferPointer { pb in
                try LAPACK.solveSPD(pa.baseAddress!, n: rows, pb.baseAddress!, rightHandSides: b.cols)
            }
        }
        return solutions.transposed()
    }
}
