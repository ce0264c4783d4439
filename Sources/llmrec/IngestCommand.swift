import ArgumentParser
import Datasets
import Foundation

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Parse a raw dump and store it in the feature store.",
        discussion: """
        PATH is a file or a directory. Formats: \(DatasetFormat.allCases.map(\.rawValue).joined(separator: ", ")); \
        detected from file names and the first line unless --format is given. `.gz` files are \
        decompressed while streaming. An LC-Rec / LETTER folder (X.inter.json with each user's items \
        oldest first, optional X.item.json; X.index*.json files are ignored) has no times: the \
        position of an interaction in X.inter.json stands in for its timestamp. Everything is stored \
        in one transaction: on a bad line (reported as file:line: what was expected) or a kill, the \
        store is left exactly as it was. Ingesting the same files again is a no-op.
        """)

    @Argument(help: "Raw dump: a directory (u.data/u.item, ratings.dat, ratings.csv, *.inter, reviews + meta, X.inter.json + X.item.json) or one file.")
    var path: String

    @Option(name: .long, help: "Name to store the data set under (default: the directory or file name).")
    var name: String?

    @Option(name: .long, help: "Input format (default: detected).")
    var format: DatasetFormat?

    @Flag(name: .long, help: "Skip and count malformed lines instead of failing on the first one.")
    var skipBadLines = false

    @Option(name: .long, help: "Keep only interactions with rating >= this (default: every interaction counts).")
    var minRating: Float?

    @Option(name: .long, help: "Iterative k-core filter: keep users and items with at least K interactions.")
    var kCore: Int?

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        if let kCore, kCore < 1 { throw ValidationError("--k-core must be at least 1") }
    }

    func run() throws {
        let datasetName = name ?? defaultName(for: path)
        let store = try storeOptions.open()
        let status = StatusLine()
        let summary = try ingestDataset(
            at: path, format: format, name: datasetName, options: ParseOptions(skipBadLines: skipBadLines),
            filters: IngestFilters(minimumRating: minRating, kCore: kCore), into: store
        ) { progress in
            status.update(String(format: "ingest %@: %3.0f%%  %@ lines", (progress.file as NSString).lastPathComponent,
                                 progress.fraction * 100, grouped(progress.linesRead)))
        }
        let meta = summary.metadata
        status.finish("parsed \(grouped(summary.report.linesRead)) lines in \(seconds(summary.parseSeconds))"
                      + (summary.changed ? ", stored in \(seconds(summary.storeSeconds))" : ""))
        print(summary.changed ? "stored \(meta.name) version \(meta.version) in \(storeOptions.store)"
                              : "\(meta.name) version \(meta.version) is already stored from the same files: nothing changed")
        print("  format:       \(meta.format)")
        print("  users:        \(grouped(meta.userCount))")
        print("  items:        \(grouped(meta.itemCount))")
        print("  interactions: \(grouped(meta.interactionCount))")
        if !meta.filters.isEmpty { print("  filters:      \(meta.filters.joined(separator: ", "))") }
        if summary.report.skippedLines > 0 {
            print("  skipped:      \(grouped(summary.report.skippedLines)) bad lines, e.g.")
            for reason in summary.report.skipReasons { print("    \(reason)") }
        }
        for note in summary.report.notes { print("  note:         \(note)") }
        for file in meta.sourceFiles { print("  source:       \(file.path) (\(grouped(file.bytes)) bytes, sha256 \(file.sha256.prefix(12))…)") }
    }

    private func defaultName(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        let isFolder = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
        return isFolder ? url.lastPathComponent : url.deletingPathExtension().lastPathComponent
    }
}

extension DatasetFormat: ExpressibleByArgument {}
