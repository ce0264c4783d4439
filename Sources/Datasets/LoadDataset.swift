#if canImport(Glibc)
import Glibc
#endif

/// Parses a raw dump (a file, or a directory holding the format's files) into an `InteractionDataset`.
///
/// `format` is detected with `DatasetFormat.detect(path:)` when nil. For a directory the
/// interactions file is required and item/user files are optional; `.gz` files are decompressed
/// while streaming (LC-Rec's whole-document JSON files are gathered in memory, then parsed). Raw
/// ids map to dense indices in first-seen order of the interactions file; item and user records
/// only describe ids that occur there. `progress` is called at most about five times a second.
/// Throws `DatasetError` (one line: file, line, what was expected).
public func loadDataset(at path: String, format: DatasetFormat? = nil, name: String, options: ParseOptions = .init(),
                        progress: ((ParseProgress) -> Void)? = nil) throws -> ParsedDataset {
    let format = try format ?? DatasetFormat.detect(path: path)
    let files = try format.files(at: path)
    let totalBytes = files.all.reduce(0) { $0 + fileSize($1) }
    var session = ParseSession(options: options, totalBytes: totalBytes,
                               expectedInteractions: estimatedLineCount(files.interactions), progress: progress)
    switch format {
    case .movielens100k:
        try session.readRatings(at: files.interactions, layout: .movieLens100K)
        try files.items.map { try session.readMovieLens100KItems(at: $0) }
        try files.users.map {
            try session.readMovieLensUsers(at: $0, separator: UInt8(ascii: "|"), doubled: false,
                                           columns: ["age", "gender", "occupation", "zip_code"],
                                           expectation: "5 |-separated fields (user id|age|gender|occupation|zip code)")
        }
    case .movielens1m:
        try session.readRatings(at: files.interactions, layout: .movieLensDat)
        try files.items.map { try session.readMovieLensDatMovies(at: $0) }
        try files.users.map {
            try session.readMovieLensUsers(at: $0, separator: UInt8(ascii: ":"), doubled: true,
                                           columns: ["gender", "age", "occupation", "zip_code"],
                                           expectation: "5 ::-separated fields (UserID::Gender::Age::Occupation::Zip-code)")
        }
    case .movielensCSV:
        try session.readRatings(at: files.interactions, layout: .movieLensCSV)
        try files.items.map { try session.readMovieLensCSVMovies(at: $0) }
    case .amazon2014:
        try session.readAmazonReviews(at: files.interactions, keys: .amazon2014And2018)
        try files.items.map { try session.readAmazonMeta(at: $0, layout: .amazon2014) }
    case .amazon2018:
        try session.readAmazonReviews(at: files.interactions, keys: .amazon2014And2018)
        try files.items.map { try session.readAmazonMeta(at: $0, layout: .amazon2018) }
    case .amazon2023:
        try session.readAmazonReviews(at: files.interactions, keys: .amazon2023)
        try files.items.map { try session.readAmazonMeta(at: $0, layout: .amazon2023) }
    case .recbole:
        try session.readRecBoleInteractions(at: files.interactions)
        try files.items.map { try session.readRecBoleItems(at: $0) }
        try files.users.map { try session.readRecBoleUsers(at: $0) }
    case .lcRec:
        let catalogue = try session.readLCRecInteractions(at: files.interactions)
        try files.items.map { try session.readLCRecItems(at: $0, catalogue: catalogue) }
    }
    var report = session.report
    report.interactions = session.builder.interactions.count
    report.describedItems = session.builder.describedItemCount
    report.describedUsers = session.builder.describedUserCount
    return ParsedDataset(dataset: session.builder.build(name: name), format: format,
                         sourceFiles: session.sourceFiles, report: report)
}

/// Size of `path` on disk, 0 when it cannot be read (the reader reports that properly).
private func fileSize(_ path: String) -> Int {
    var info = stat()
    return stat(path, &info) == 0 ? Int(info.st_size) : 0
}

/// About how many lines an uncompressed file has, from the first 64 KiB (0 for `.gz` or unreadable
/// files), so the interaction array is allocated once instead of grown by doubling.
private func estimatedLineCount(_ path: String) -> Int {
    guard !path.hasSuffix(".gz") else { return 0 }
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return 0 }
    defer { close(fd) }
    let sampleSize = 1 << 16
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: sampleSize) { sample in
        let count = pread(fd, sample.baseAddress, sampleSize, 0)
        let newlines = count > 0 ? sample[..<count].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) } : 0
        guard newlines > 0 else { return 0 }
        return Int(Double(fileSize(path)) * Double(newlines) / Double(count) * 1.02) + 16
    }
}
