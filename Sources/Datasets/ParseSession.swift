import Foundation

/// The state of one `loadDataset` call: the builder, the report, and progress over all files.
struct ParseSession {
    /// Collects ids, interactions and records.
    var builder: InteractionDatasetBuilder
    /// Counts so far.
    var report = ParseReport()
    /// Files read so far.
    private(set) var sourceFiles: [SourceFile] = []
    private let options: ParseOptions
    private let progress: ((ParseProgress) -> Void)?
    private let totalBytes: Int
    private var bytesOfFinishedFiles = 0
    private var lastProgressTime: UInt64 = 0
    private static let progressInterval: UInt64 = 200_000_000

    /// A session over files of `totalBytes` bytes in all.
    init(options: ParseOptions, totalBytes: Int, expectedInteractions: Int, progress: ((ParseProgress) -> Void)?) {
        self.builder = InteractionDatasetBuilder(expectedInteractions: expectedInteractions)
        self.options = options
        self.totalBytes = totalBytes
        self.progress = progress
    }

    /// Streams the non-blank lines of `path` into `body`, turning a `LineIssue` into a
    /// `DatasetError` (or a skipped line). `expectation` describes a good line, for the empty-file error.
    mutating func forEachLine(of path: String, expecting expectation: String,
                              _ body: (Line, inout InteractionDatasetBuilder) throws -> Void) throws {
        let reader = try LineReader(path: path)
        let name = (path as NSString).lastPathComponent
        var dataLines = 0
        // `afterRead` runs once the lines of a read have been counted, so `linesRead` keeps up with
        // the bytes reported; the hot loop below only increments a counter.
        try reader.forEachLine(afterRead: { reportProgress(file: path, bytesInFile: reader.bytesConsumed) }) { line in
            report.linesRead += 1
            guard !line.bytes.isEmpty else { return }
            dataLines += 1
            do {
                try body(line, &builder)
            } catch let issue as LineIssue {
                let prefix = issue.isStructural && !line.isTerminated ? "truncated last line: " : ""
                let error = DatasetError(file: name, line: line.number, reason: prefix + issue.reason)
                guard options.skipBadLines else { throw error }
                report.skippedLines += 1
                if report.skipReasons.count < options.maxReportedSkipReasons { report.skipReasons.append(error.description) }
            }
        }
        guard dataLines > 0 else { throw DatasetError(file: name, line: 1, reason: "expected \(expectation), found an empty file") }
        bytesOfFinishedFiles += reader.fileSize
        sourceFiles.append(SourceFile(path: path, byteSize: reader.fileSize))
        reportProgress(file: path, bytesInFile: 0, force: true)
    }

    private mutating func reportProgress(file: String, bytesInFile: Int, force: Bool = false) {
        guard let progress else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard force || now - lastProgressTime >= Self.progressInterval else { return }
        lastProgressTime = now
        progress(ParseProgress(file: file, bytesRead: bytesOfFinishedFiles + bytesInFile, totalBytes: totalBytes,
                               linesRead: report.linesRead))
    }
}
