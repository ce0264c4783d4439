/// Why semantic IDs could not be built, read or used, in one line.
public enum SemanticIDError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A setting outside its range (codebook size, levels, iterations ...).
    case invalidSetting(String)
    /// Input data that cannot be quantised (wrong shape, non-finite values, too few items).
    case invalidInput(String)
    /// An index file (LC-Rec `X.index.json`) that does not hold one well-formed code per item.
    case malformedIndexFile(path: String, reason: String)

    /// One line: what was wrong and what was expected.
    public var description: String {
        switch self {
        case .invalidSetting(let reason): return "invalid setting: \(reason)"
        case .invalidInput(let reason): return "invalid input: \(reason)"
        case .malformedIndexFile(let path, let reason): return "\(path): \(reason)"
        }
    }
}
