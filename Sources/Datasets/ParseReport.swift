/// What `loadDataset` read and what it had to skip.
public struct ParseReport: Sendable, Equatable {
    /// Lines read over all source files (headers and skipped lines included).
    public var linesRead = 0
    /// Interactions kept.
    public var interactions = 0
    /// Items (of those in interactions) that got side information from an item file.
    public var describedItems = 0
    /// Users (of those in interactions) that got attributes from a user file.
    public var describedUsers = 0
    /// Bad lines skipped (only with `ParseOptions.skipBadLines`).
    public var skippedLines = 0
    /// One-line descriptions of the first skipped lines.
    public var skipReasons: [String] = []
    /// Remarks on how the input was read that a user should know, one line each (for example that
    /// the format has no times and timestamps are record positions); `llmrec ingest` prints them.
    public var notes: [String] = []

    /// An empty report.
    public init() {}
}
