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
