/// A data file that cannot be read or parsed, described in one line.
///
/// `description` reads like a compiler diagnostic: `ratings.csv:17: expected 4 comma-separated
/// fields (userId,movieId,rating,timestamp), found 3`. Line-level errors name the file by its last
/// path component; file-level errors (missing file, directory, gzip failure) name the path as given.
public struct DatasetError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file's name (line-level errors) or path (file-level errors).
    public var file: String
    /// 1-based line number, or nil when the error concerns the whole file.
    public var line: Int?
    /// What was expected and what was found.
    public var reason: String

    /// Creates an error about `file` (and `line` when known).
    public init(file: String, line: Int? = nil, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    /// `file:line: reason`, or `file: reason` without a line; always a single line.
    public var description: String {
        let text = line.map { "\(file):\($0): \(reason)" } ?? "\(file): \(reason)"
        return text.replacingNewlines()
    }
}

extension DatasetError: CustomDebugStringConvertible {
    /// Same as `description`.
    public var debugDescription: String { description }
}

private extension String {
    /// The text with every line break shown as a space, so a diagnostic stays on one line.
    func replacingNewlines() -> String {
        String(map { $0.isNewline ? " " : $0 })
    }
}
