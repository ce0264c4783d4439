import ArgumentParser
import BatchExport
import Datasets
import FeatureStore
import Foundation
import Recommenders

extension ExportFormat: ExpressibleByArgument {}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the top-K items of every user (nightly batch export): sharded, resumable.",
        discussion: """
        Uses the latest model recorded by `llmrec train` for the data set, refit on all interactions. \
        Users are cut into parts of --part-size users; each part is written under a temporary name, \
        flushed and renamed, so readers never see half a part. A manifest \
        (<out>/manifest-<i>-of-<N>.json) written last lists every part with its rows and SHA-256, the \
        model artefact and data set versions, K and the time. Killed at any point, the same command \
        finishes the job, reusing every finished part whose checksum still matches. With \
        --shard i/N, N independent processes (a Kubernetes Indexed Job, a Slurm array) each export \
        the users whose stable id hash falls in their shard; `llmrec export --verify --out DIR \
        --shards N` tells when all shards are in. Item and user ids written are the raw ids of the \
        source data. Progress (users/s, ETA) on stderr, a summary on stdout.
        """)

    @Option(name: .long, help: "Name of a data set in the store.")
    var dataset: String = "ml-100k"

    @Option(name: .long, help: "Model trained with `llmrec train` (\(ModelRegistry.names.joined(separator: ", "))).")
    var model: String?

    @Option(name: .short, help: "Items per user (1 to the catalogue size).")
    var k: Int = 100

    @Option(name: .long, help: "Output folder for part files and the manifest (created if missing).")
    var out: String

    @Option(name: .long, help: "Output format: jsonl (one user a line), csv (user,rank,item,score), or lmdb (the store's users table, one lookup a user; the manifest still goes to --out).")
    var format: ExportFormat = .jsonl

    @Option(name: .long, help: ArgumentHelp("This process's shard: users whose stable id hash mod N is i.", valueName: "i/N"))
    var shard: String = "0/1"

    @Option(name: .long, help: "Users per part file, the unit of resume.")
    var partSize: Int = 50_000

    @Option(name: .long, help: "Users scored per block (one GEMM); default: as many as fit 64 MiB of scores, at most 1024.")
    var blockSize: Int?

    @Flag(name: .long, help: "Keep items of the user's history in the lists (they are excluded by default).")
    var includeHistory = false

    @Option(name: .long, help: ArgumentHelp("File of raw item ids (one a line) never recommended.", valueName: "file"))
    var exclude: String?

    @Option(name: .long, help: ArgumentHelp("File of raw item ids (one a line): recommend only these.", valueName: "file"))
    var allow: String?

    @Flag(name: .long, help: "Do not export: check the manifests of all --shards shards in --out and every part's SHA-256.")
    var verify = false

    @Option(name: .long, help: "With --verify: the number of shards expected.")
    var shards: Int = 1

    @Flag(name: .long, help: "Serve a model trained on an older version of the data set (new users are served from their histories) instead of refusing.")
    var allowStaleModel = false

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var itemLLMOptions: ItemLLMOptions

    /// Flag checks; everything else (unknown model or data set, K, shard, output folder) fails in
    /// `run` with a one-line error before anything is written.
    func validate() throws {
        if !verify && model == nil {
            throw ValidationError("--model is required (\(ModelRegistry.names.joined(separator: ", ")))")
        }
    }

    func run() throws {
        if partSize < 1 { throw ExportCommandError("--part-size must be at least 1") }
        if let blockSize, blockSize < 1 { throw ExportCommandError("--block-size must be at least 1") }
        let folder = URL(fileURLWithPath: out)
        if verify {
            let result = try ExportVerifier.verify(folder: folder, shards: shards,
                                                   store: try? storeOptions.open(readOnly: true))
            print("complete: \(result.shards) shard(s), \(result.parts) part(s) verified, \(grouped(result.users)) users, \(grouped(result.rows)) rows")
            return
        }
        let model = self.model!.lowercased()
        let shardSpec = try ShardSpec(parsing: shard)
        let store = try storeOptions.open(readOnly: format != .lmdb && !ModelRegistry.readsItemText(model))
        let trained = try TrainedModel.load(from: store, dataset: dataset, model: model,
                                              itemLLM: ModelRegistry.readsItemText(model) ? itemLLMOptions.directory() : nil,
                                              allowStale: allowStaleModel)
        if trained.datasetVersion != Int(trained.artifact.metadata["datasetVersion"] ?? "") {
            StatusLine().finish("serving \(model) trained on \(dataset) v\(trained.artifact.metadata["datasetVersion"] ?? "?") for v\(trained.datasetVersion) (--allow-stale-model): \(grouped(trained.usersNewSinceTraining)) users added since training are served from their histories")
        }
        let data = trained.dataset
        var request = ExportRequest(k: k)
        request.format = format
        request.shard = shardSpec
        request.partSize = partSize
        request.blockSize = blockSize
        request.excludeHistory = !includeHistory
        request.excludedItems = try exclude.map { try itemIndices(listedIn: $0, flag: "--exclude", data: data) } ?? []
        request.allowedItems = try allow.map { try itemIndices(listedIn: $0, flag: "--allow", data: data) }
        let source = ExportSource(scorer: trained.recommender, userIDs: data.userIDs, itemIDs: data.itemIDs,
                                  histories: trained.histories, dataset: dataset, datasetVersion: trained.datasetVersion,
                                  model: model, modelVersion: trained.artifact.version, modelSHA256: trained.modelSHA256)
        let engine = try ExportEngine(source: source, request: request, folder: folder,
                                      store: format == .lmdb ? store : nil)
        let status = StatusLine()
        let summary = try engine.run { progress in
            let eta = progress.etaSeconds.map { String(format: ", ETA %.0f s", $0) } ?? ""
            status.update("export \(grouped(progress.usersDone))/\(grouped(progress.usersTotal)) users, "
                          + "\(grouped(Int(progress.usersPerSecond))) users/s\(eta)")
        }
        let rate = summary.seconds > 0 ? Int(Double(summary.usersComputed) / summary.seconds) : 0
        status.finish("export done in \(seconds(summary.seconds)): \(grouped(summary.usersComputed)) users computed "
                      + "(\(grouped(rate)) users/s), \(summary.partsReused) part(s) reused")
        let manifest = summary.manifest
        print("exported \(grouped(manifest.users)) users (\(grouped(manifest.rows)) rows) of \(dataset) v\(manifest.job.datasetVersion) "
              + "by \(model) v\(manifest.job.modelVersion), top \(k), shard \(shard), \(manifest.parts.count) part(s): "
              + "\(summary.partsWritten) written, \(summary.partsReused) reused")
        print("manifest: \(summary.manifestURL.path)")
    }

    /// The internal indices of the raw item ids listed one a line in `path`.
    private func itemIndices(listedIn path: String, flag: String, data: InteractionDataset) throws -> [Int32] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ExportCommandError("\(flag): cannot read \(path)")
        }
        let index = Dictionary(uniqueKeysWithValues: data.itemIDs.enumerated().map { ($1, Int32($0)) })
        return try text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.map { id in
                guard let item = index[id] else { throw ExportError.unknownItem(list: "\(flag) \(path)", id: id) }
                return item
            }
    }
}

/// A one-line command-line error (printed as `Error: <message>`, exit status 1, no usage text).
struct ExportCommandError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
