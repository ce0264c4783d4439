/// Why an evaluation could not run.
public enum EvaluationError: Error, Equatable, CustomStringConvertible {
    /// There were no cases to evaluate.
    case noCases
    /// A case names an item outside the scorer's catalogue `0..<numItems`.
    case itemOutOfRange(user: Int32, item: Int32, numItems: Int)
    /// A case has no target to find.
    case caseWithoutTargets(user: Int32)
    /// An option is out of its valid range (the text says which).
    case invalidOptions(String)

    /// A one-line explanation naming what was wrong.
    public var description: String {
        switch self {
        case .noCases:
            return "no evaluation cases were given"
        case let .itemOutOfRange(user, item, numItems):
            return "the case of user \(user) names item \(item), outside the catalogue of \(numItems) items"
        case let .caseWithoutTargets(user):
            return "the case of user \(user) has no target item"
        case let .invalidOptions(reason):
            return "invalid evaluation options: \(reason)"
        }
    }
}
