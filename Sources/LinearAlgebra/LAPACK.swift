import COpenBLAS

/// Cholesky-based LAPACK routines (`spotrf_`, `spotri_`, `sposv_`) on raw `Float` buffers.
///
/// A symmetric matrix reads the same row-major or column-major, so only its upper triangle
/// (row-major) is read: the lower one may hold anything. Reentrant: several threads may solve at
/// once on distinct buffers.
public enum LAPACK {
    /// Overwrites the symmetric positive definite `a` (`[n, n]`, row-major, contiguous) with its
    /// inverse, via the Cholesky factorisation (`spotrf_` then `spotri_`); both triangles are written.
    ///
    /// - Throws: `LinearAlgebraError.notPositiveDefinite` when the factorisation fails (then `a`
    ///   holds a partial factor).
    public static func invertSPD(_ a: UnsafeMutablePointer<Float>, n: Int) throws {
        guard n > 0 else { return }
        var order = Int32(n)
        var info: Int32 = 0
        // Row-major upper == column-major lower ("L" for Fortran).
        var uplo = CChar(UInt8(ascii: "L"))
        spotrf_(&uplo, &order, a, &order, &info)
        try check(info, routine: "spotrf", order: n)
        spotri_(&uplo, &order, a, &order, &info)
        if info > 0 { throw LinearAlgebraError.singular(order: n) }
        try check(info, routine: "spotri", order: n)
        for r in 1..<n {
            for c in 0..<r { a[r * n + c] = a[c * n + r] }
        }
    }

    /// Solves `A X = B` for symmetric positive definite `a` (`[n, n]`, contiguous) by Cholesky (`sposv_`).
    ///
    /// - Parameters:
    ///   - a: `[n, n]`; overwritten by its Cholesky factor.
    ///   - b: `[rightHandSides, n]`, row-major: each right-hand side is one contiguous vector of
    ///     length n; overwritten by the solutions in the same layout.
    /// - Throws: `LinearAlgebraError.notPositiveDefinite` when `a` is not positive definite.
    public static func solveSPD(_ a: UnsafeMutablePointer<Float>, n: Int,
                                _ b: UnsafeMutablePointer<Float>, rightHandSides: Int = 1) throws {
        guard n > 0, rightHandSides > 0 else { return }
        var order = Int32(n)
        var nrhs = Int32(rightHandSides)
        var info: Int32 = 0
        var uplo = CChar(UInt8(ascii: "L"))
        sposv_(&uplo, &order, &nrhs, a, &order, b, &order, &info)
        try check(info, routine: "sposv", order: n)
    }

    private static func check(_ info: Int32, routine: String, order: Int) throws {
        if info > 0 { throw LinearAlgebraError.notPositiveDefinite(order: order, failingMinor: Int(info)) }
        if info < 0 { throw LinearAlgebraError.invalidArgument(routine: routine, argument: Int(-info)) }
    }
}
