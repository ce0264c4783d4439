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
