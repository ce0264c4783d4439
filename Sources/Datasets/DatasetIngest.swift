import FeatureStore
import Foundation

/// What `ingestDataset` does to raw files on their way into the store, recorded in the metadata.
public struct IngestFilters: Sendable, Equatable {
    /// Keep only interactions rated at least this (nil: every interaction counts as implicit feedback).
    public var minimumRating: Float?
    /// Iterative k-core: users and items with at least this many interactions (nil: no filter).
    public var kCore: Int?

    /// No filtering by default (DESIGN.md: every interaction counts).
    public init(minimumRating: Float? = nil, kCore: Int? = nil) {
        self.minimumRating = minimumRating
        self.kCore = kCore
    }

    /// One line per filter, in the order they are applied, as stored in `DatasetMetadata.filters`.
    public var descriptions: [String] {
        (minimumRating.map { ["rating >= \($0)"] } ?? []) + (kCore.map { ["\($0)-core"] } ?? [])
    }

    /// Applies the rating threshold, then the k-core filter.
    public func apply(to dataset: InteractionDataset) -> InteractionDataset {
        var filtered = dataset
        if let minimumRating { filtered = RatingThreshold(minimumRating: minimumRating).apply(to: filtered) }
        if let kCore { filtered = KCoreFilter(k: kCore).apply(to: filtered) }
        return filtered
    }
}

/// What one `ingestDataset` call did.
public struct IngestSummary: Sendable {
    /// The metadata now stored for the data set.
    public var metadata: DatasetMetadata
    /// Whether anything was written (false: the same files were already ingested).
    public var changed: Bool
    /// Parser statistics (lines, skipped lines and why).
    public var report: ParseReport
    /// Wall-clock seconds for parsing, filtering and checksums.
    public var parseSeconds: Double
    /// Wall-clock seconds for the store transaction.
    public var storeSeconds: Double
}

/// Parses a raw dump, filters it, checksums its files and stores it under `name` in one write
/// transaction: a failure or a kill at any point leaves the store as it was, and ingesting the
/// same files again changes nothing.
public func ingestDataset(at path: String, format: DatasetFormat? = nil, name: String,
                          options: ParseOptions = .init(), filters: IngestFilters = .init(),
                          into store: FeatureStore,
                          progress: ((ParseProgress) -> Void)? = nil) throws -> IngestSummary {
    let start = Date()
    let parsed = try loadDataset(at: path, format: format, name: name, options: options, progress: progress)
    guard !parsed.dataset.interactions.isEmpty else {
        throw DatasetError(file: parsed.sourceFiles.first?.path ?? path, reason: "no interactions found")
    }
    let dataset = filters.apply(to: parsed.dataset)
    let sourceFiles = try parsed.sourceFiles.map { try DatasetMetadata.SourceFile(describingFileAt: $0.path) }
    let metadata = DatasetMetadata(
        name: name, version: 0, format: parsed.format.rawValue, sourceFiles: sourceFiles,
        filters: filters.descriptions, userCount: dataset.numUsers, itemCount: dataset.numItems,
        interactionCount: dataset.interactions.count, skippedLines: parsed.report.skippedLines, ingestedAt: Date())
    let parseSeconds = Date().timeIntervalSince(start)
    let outcome = try store.saveDataset(dataset, metadata: metadata)
    let stored = try store.datasetMetadata(named: name) ?? metadata
    let changed: Bool
    switch outcome {
    case .stored: changed = true
    case .unchanged: changed = false
    }
    return IngestSummary(metadata: stored, changed: changed, report: parsed.report, parseSeconds: parseSeconds,
                         storeSeconds: Date().timeIntervalSince(start) - parseSeconds)
}
