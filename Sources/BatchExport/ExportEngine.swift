import Dispatch
import FeatureStore
import LinearAlgebra
import Foundation

/// The export job for one shard: plan the parts, skip those an earlier run finished (checked against
/// their SHA-256), and compute the rest in blocks. Each core's worker takes whole blocks: for
/// dot-product models the fused score-and-select kernel (`DotProductTopK`), otherwise one
/// single-threaded `scoreBatch`, then top-K and encoding of its rows, so one core's scoring overlaps
/// the other's top-K and no idle BLAS thread spins between calls. A writer
/// stage on its own queue takes the blocks in order, so scoring never waits on the disk (at most
/// `maxBlocksInFlight` blocks queued). Memory is bounded by one block of scores per worker plus the
/// queued blocks: it does not grow with users.
public struct ExportEngine {
    public let source: ExportSource
    public let request: ExportRequest
    /// The output folder (manifest and part files).
    public let folder: URL
    /// The store `lmdb` parts go into (required for that format only).
    public let store: FeatureStore?
    /// Blocks waiting for the writer at most.
    public var maxBlocksInFlight = 3

    /// An export of `source` under `request` into `folder` (created if missing).
    /// - Throws: `ExportError.badK`, `.unknownItem`-style list errors are the caller's; `.unwritableOutput`
    ///   when `format == .lmdb` and no store is given.
    public init(source: ExportSource, request: ExportRequest, folder: URL, store: FeatureStore? = nil) throws {
        let numItems = source.itemIDs.count
        guard request.k >= 1 && request.k <= numItems else { throw ExportError.badK(k: request.k, numItems: numItems) }
        precondition(request.format != .lmdb || store != nil, "the lmdb format needs a store")
        self.source = source
        self.request = request
        self.folder = folder
        self.store = store
    }

    /// Runs (or finishes) the export and writes the manifest; `progress` is called from the writer queue.
    public func run(progress: @escaping @Sendable (ExportProgress) -> Void = { _ in }) throws -> ExportSummary {
        let start = Date()
        try OutputFolder.prepare(folder)
        let job = ExportJobDescription(source: source, request: request)
        let fingerprint = job.fingerprint
        let manifestURL = folder.appendingPathComponent(ExportManifest.fileName(for: request.shard))
        let plan = ExportPlan(userIDs: source.userIDs, request: request)
        let encoder = RowEncoder(format: request.format, itemIDs: source.itemIDs)
        let sink: PartSink = request.format == .lmdb
            ? StorePartSink(store: store!, dataset: source.dataset, model: source.model, modelVersion: source.modelVersion,
                            userIDs: source.userIDs)
            : FilePartSink(folder: folder, header: encoder.partHeader)
        try sink.removeLeftovers()

        if let existing = try? ExportManifest.read(from: manifestURL), existing.fingerprint == fingerprint,
           existing.parts.count == plan.partCount,
           try existing.parts.enumerated().allSatisfy({ part, record in
               try record.name == plan.partName(part) && sink.matches(record, users: plan.users(ofPart: part))
           }) {
            return ExportSummary(manifest: existing, manifestURL: manifestURL, partsWritten: 0,
                                 partsReused: existing.parts.count, usersComputed: 0,
                                 seconds: Date().timeIntervalSince(start))
        }
        try? FileManager.default.removeItem(at: manifestURL)

        let writer = ExportWriter(sink: sink, maxBlocksInFlight: maxBlocksInFlight, usersTotal: plan.users.count,
                                  start: start, progress: progress)
        let ranker = BlockRanker(k: request.k, encoder: encoder, userIDs: source.userIDs,
                                 globallySkipped: globallySkippedItems(), excludeHistory: request.excludeHistory)
        let blockSize = request.usersPerBlock(numItems: source.itemIDs.count)
        let dotProducts = (source.scorer as? any DotProductScorer).map {
            (scorer: $0, kernel: DotProductTopK(panels: ItemPanels($0.itemVectors), globallySkipped: ranker.globallySkipped))
        }
        let workers = ScoringWorkers(count: ProcessInfoCores.active,
                                     bufferFloats: dotProducts == nil ? blockSize * source.itemIDs.count : 0)
        var (partsWritten, usersComputed) = (0, 0)
        for part in 0..<plan.partCount {
            let users = plan.users(ofPart: part)
            let name = plan.partName(part)
            if let record = try sink.finishedRecord(of: name, users: users, fingerprint: fingerprint) {
                try writer.reuse(record)
                continue
            }
            try writer.begin(name)
            let blockStarts = Array(stride(from: users.startIndex, to: users.endIndex, by: blockSize))
            for wave in stride(from: 0, to: blockStarts.count, by: workers.count) {
                let starts = blockStarts[wave..<min(blockStarts.count, wave + workers.count)]
                let results = BLAS.singleThreaded {
                    workers.run(blocks: starts.count) { worker, scores in
                        let start = starts[starts.startIndex + worker]
                        let blockUsers = Array(users[start..<min(users.endIndex, start + blockSize)])
                        return scoreAndRank(blockUsers, blockSize: blockSize, ranker: ranker, dotProducts: dotProducts,
                                            scores: scores)
                    }
                }
                for block in results { try writer.append(block) }
            }
            try writer.finish(users: users.count, fingerprint: fingerprint)
            partsWritten += 1
            usersComputed += users.count
        }
        let records = try writer.drain()
        let manifest = ExportManifest(job: job, fingerprint: fingerprint, parts: records,
                                      users: records.reduce(0) { $0 + $1.users }, rows: records.reduce(0) { $0 + $1.rows },
                                      startedAt: start, finishedAt: Date())
        try DurableFile.write(try manifest.encoded(), as: manifestURL.lastPathComponent, in: folder)
        return ExportSummary(manifest: manifest, manifestURL: manifestURL, partsWritten: partsWritten,
                             partsReused: records.count - partsWritten, usersComputed: usersComputed,
                             seconds: Date().timeIntervalSince(start))
    }

    /// Scores, ranks and encodes one block. A dot-product scorer goes through its kernel, whose scores
    /// do not depend on the block; any other scorer's block is padded to `blockSize` users (BLAS may
    /// round differently for other shapes, and a user's bytes must not depend on its shard).
    private func scoreAndRank(_ blockUsers: [Int32], blockSize: Int, ranker: BlockRanker,
                              dotProducts: (scorer: any DotProductScorer, kernel: DotProductTopK)?,
                              scores: UnsafeMutableBufferPointer<Float>) -> FormattedBlock {
        let histories = blockUsers.map { source.histories[Int($0)] }
        if let (scorer, kernel) = dotProducts {
            return ranker.rankDotProducts(users: blockUsers, histories: histories,
                                          vectors: scorer.userVectors(users: blockUsers, histories: histories), kernel: kernel)
        }
        let padding = blockSize - blockUsers.count
        let paddedUsers = blockUsers + repeatElement(blockUsers[blockUsers.count - 1], count: padding)
        let paddedHistories = histories + repeatElement(histories[histories.count - 1], count: padding)
        source.scorer.scoreBatch(users: paddedUsers, histories: paddedHistories, into: scores)
        return ranker.rank(users: blockUsers, histories: histories, scores: UnsafeBufferPointer(scores))
    }

    /// `[numItems]`: true for items on the exclude list or off the allow list.
    private func globallySkippedItems() -> [Bool] {
        let numItems = source.itemIDs.count
        var skipped = [Bool](repeating: request.allowedItems != nil, count: numItems)
        for item in request.allowedItems ?? [] where item >= 0 && Int(item) < numItems { skipped[Int(item)] = false }
        for item in request.excludedItems where item >= 0 && Int(item) < numItems { skipped[Int(item)] = true }
        return skipped
    }
}
