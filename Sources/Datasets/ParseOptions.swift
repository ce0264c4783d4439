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
