/// Errors of the dense solvers.
public enum LinearAlgebraError: Error, Equatable, CustomStringConvertible {
    /// Cholesky factorisation failed: the leading minor of order `failingMinor` (1-based) of the
    /// `[order, order]` matrix is not positive definite (LAPACK `info > 0`).
    case notPositiveDefinite(order: Int, failingMinor: Int)
    /// The matrix is singular (`spotri` found a zero diagonal in the Cholesky factor).
    case singular(order: Int)
    /// A LAPACK routine rejected argument number `argument` (LAPACK `info < 0`): a bug in the caller.
    case invalidArgument(routine: String, argument: Int)

    public var description: String {
        switch self {
        case let .notPositiveDefinite(order, minor):
            return "matrix of order \(order) is not positive definite (leading minor \(minor) fails Cholesky)"
        case let .singular(order):
            return "matrix of order \(order) is singular"
        case let .invalidArgument(routine, argument):
            return "\(routine): invalid argument \(argument)"
        }
    }
}
