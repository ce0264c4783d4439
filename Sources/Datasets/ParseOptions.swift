/// How `loadDataset` treats bad input.
public struct ParseOptions: Sendable {
    /// Count and report bad lines (first few reasons in `ParseReport.skipReasons`) instead of failing.
    public var skipBadLines: Bool
    /// How many skip reasons `ParseReport` keeps.
    public var maxReportedSkipReasons: Int

    /// Strict by default: the first bad line is an error.
    public init(skipBadLines: Bool = false, maxReportedSkipReasons: Int = 5) {
        self.skipBadLines = skipBadLines
        self.maxReportedSkipReasons = maxReportedSkipReasons
    }
}

/// Where a running `loadDataset` stands; delivered at most about five times a second.
public struct ParseProgress: Sendable {
    /// The file being read.
    public var file: String
    /// On-disk bytes consumed so far over all source files (compressed bytes for `.gz`).
    public var bytesRead: Int
    /// On-disk size of all source files.
    public var totalBytes: Int
    /// Lines read so far over all source files.
    public var linesRead: Int

    /// `bytesRead / totalBytes` in `0...1`.
    public var fraction: Double { totalBytes > 0 ? min(1, Double(bytesRead) / Double(totalBytes)) : 1 }
}

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

    /// An empty report.
    public init() {}
}

/// One file `loadDataset` read.
public struct SourceFile: Sendable, Equatable {
    /// The file's path.
    public var path: String
    /// Its size on disk in bytes.
    public var byteSize: Int

    /// Describes the file at `path` of `byteSize` bytes.
    public init(path: String, byteSize: Int) {
        self.path = path
        self.byteSize = byteSize
    }
}

/// The result of `loadDataset`: the data set, where it came from and how parsing went.
public struct ParsedDataset: Sendable {
    /// The parsed data set (dense ids in first-seen order).
    public var dataset: InteractionDataset
    /// The format the files were read as.
    public var format: DatasetFormat
    /// Files read, interactions file first.
    public var sourceFiles: [SourceFile]
    /// Counts and skipped lines.
    public var report: ParseReport
}
