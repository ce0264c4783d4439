import ArgumentParser
import Datasets
import Evaluation
import FeatureStore
import Foundation
import Recommenders
import SemanticIDs

struct SemanticIDsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "semantic-ids",
        abstract: "Build the catalogue's semantic item IDs (TIGER-style codes) and report their quality.",
        discussion: """
        Every item gets a short tuple of codes (c1, c2, c3), each in 0..<codebook-size, such that \
        items with similar text share prefixes: the vocabulary of a generative-retrieval ranker. The \
        item LLM's embeddings (encoded once and cached in the store) are standardised and quantised \
        level by level; colliding items are then told apart. The codes are stored in the feature \
        store as <dataset>/semantic-ids/v<version>/<embeddings>/<settings>, so a rerun with the same \
        data, embeddings and settings reads them back. The quality report (codebook usage and \
        entropy, collisions, reconstruction error, whether text neighbours share prefixes, against \
        chance) is printed and written to <reports>/<dataset>/semantic-ids.json, with --import's \
        index side by side.
        """)

    @Option(name: .long, help: "Name of a data set in the store (see `llmrec ingest`).")
    var dataset: String = "ml-100k"

    @Option(name: .long, help: "Quantiser: rkmeans (residual k-means on the standardised embeddings: fast, no training) or rqvae (an MLP encoder to a 32-d latent and residual codebooks trained with it, TIGER's choice).")
    var method: SemanticIDMethod = .residualKMeans

    @Option(name: .long, help: "Code levels before de-duplication (TIGER: 3); more levels, finer codes, longer to decode.")
    var levels: Int = 3

    @Option(name: .long, help: "Codes per level, 2-65536 (TIGER: 256); at most the number of items.")
    var codebookSize: Int = 256

    @Option(name: .long, help: "How items with the same codes are told apart: extra-level (append 0, 1, 2 ... within each group; always works; the default until the generative ranker measures which is better) or balanced (distinct last-level codes by a min-cost assignment, no extra token; fails when more items share a prefix than the level has codes).")
    var unique: UniqueCodeStrategy = .extraLevel

    @Flag(name: .long, help: "rkmeans: scale each level's input to unit length before clustering (directions, not norms, decide the codes).")
    var normalizeResiduals = false

    @Option(name: .long, help: "rqvae: training epochs (default: the RQ-VAE's own default).")
    var rqvaeEpochs: Int?

    @Option(name: .long, help: ArgumentHelp("Append N iALS item factors, fitted on the training part of the leave-one-out split only, to each item's text embedding before quantising (LETTER's idea: codes that reflect co-interaction as well as text). 0: text only.", valueName: "N"))
    var collaborativeFactors: Int = 0

    @Option(name: .long, help: "Seed of every random choice; the same seed gives the same codes.")
    var seed: UInt64 = 42

    @Option(name: .customLong("import"), help: ArgumentHelp("An LC-Rec index file (X.index.json: {\"item\": [\"<a_1>\", \"<b_2>\", ...]}) to measure beside llmrec's codes, e.g. a published tokenizer.", valueName: "file"))
    var importFile: String?

    @Option(name: .customLong("export"), help: ArgumentHelp("Write llmrec's codes as an LC-Rec index file (raw item ids as keys).", valueName: "file"))
    var exportFile: String?

    @Option(name: .long, help: "Reports directory; the quality report goes to <reports>/<dataset>/semantic-ids.json.")
    var reports: String = "reports"

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var itemLLMOptions: ItemLLMOptions
    @OptionGroup var tieBreakOptions: TieBreakOptions

    func validate() throws {
        guard (2...65_536).contains(codebookSize) else { throw ValidationError("--codebook-size must lie in 2...65536") }
        guard (1...8).contains(levels) else { throw ValidationError("--levels must lie in 1...8") }
        if let rqvaeEpochs, rqvaeEpochs < 1 { throw ValidationError("--rqvae-epochs must be at least 1") }
        guard (0...1_024).contains(collaborativeFactors) else { throw ValidationError("--collaborative-factors must lie in 0...1024") }
    }

    var tokenizerConfiguration: SemanticIDTokenizer.Configuration {
        var configuration = SemanticIDTokenizer.Configuration()
        configuration.method = method
        configuration.levels = levels
        configuration.codebookSize = codebookSize
        configuration.unique = unique
        configuration.normalizesResiduals = normalizeResiduals
        configuration.seed = seed
        configuration.rqvaeEpochs = rqvaeEpochs
        return configuration
    }

    func run() throws {
        let store = try storeOptions.open()
        let status = StatusLine()
        var experiment = try Experiment(store: store, dataset: dataset, tieBreak: tieBreakOptions.tieBreak)
        let itemIDs = experiment.dataset.itemIDs
        // Read the index before anything is fitted or stored: a bad file changes nothing.
        let imported = try importFile.map { path in (path, try LCRecIndexFile.read(path: path).codes(forItemIDs: itemIDs)) }
        try experiment.attachItemLLM(modelDirectory: try itemLLMOptions.directory(), store: store,
                                     maxTokens: itemLLMOptions.itemTokens,
                                     itemTemplate: itemLLMOptions.itemTemplate) { status.update($0) }
        let collaborative = collaborativeFactors == 0 ? nil : CollaborativeItemVectors(
            factors: collaborativeFactors,
            training: TrainingData(numUsers: experiment.split.numUsers, numItems: experiment.split.numItems,
                                   sequences: experiment.split.train),
            splitName: "\(experiment.evaluationProtocol.rawValue)-\(experiment.tieBreak)")
        let semanticIDs = try prepareSemanticIDs(experiment: experiment, store: store, configuration: tokenizerConfiguration,
                                                 collaborative: collaborative, status: status)
        let embeddings = experiment.itemLLM!.embeddings
        let name = "llmrec \(method.rawValue)" + (collaborative.map { " " + $0.key } ?? "")
        var codeSets = [semanticIDs.tokenizer.qualityReport(name: name, embeddings: embeddings.values, dim: embeddings.dim)]
        if let (path, codes) = imported {
            codeSets.append(CodeQualityReport(name: "imported " + (path as NSString).lastPathComponent, method: "LC-Rec index file",
                                              codes: codes, rawCodes: nil, embeddings: embeddings.values, dim: embeddings.dim,
                                              relativeReconstructionError: nil, fitSeconds: nil))
        }
        let file = try writeSemanticIDReport(codeSets, dataset: dataset, artifact: semanticIDs.artifact,
                                             reportsDirectory: URL(fileURLWithPath: reports))
        print(CodeQualityReport.table(codeSets).rendered())
        if let exportFile {
            try LCRecIndexFile.write(semanticIDs.tokenizer.codes, itemIDs: itemIDs, to: exportFile)
            status.finish("codes written to \(exportFile)")
        }
        status.finish("quality report written to \(file.path)")
    }
}

/// Reads or fits the semantic IDs of `experiment`'s catalogue (its item LLM attached) and says
/// which on `status`.
func prepareSemanticIDs(experiment: Experiment, store: FeatureStore, configuration: SemanticIDTokenizer.Configuration,
                        collaborative: CollaborativeItemVectors? = nil, status: StatusLine) throws -> SemanticIDCatalogue {
    let metadata = try store.datasetMetadata(named: experiment.dataset.name)
    let semanticIDs = try SemanticIDCatalogue.prepare(itemLLM: experiment.itemLLM!, dataset: experiment.dataset.name,
                                                      datasetVersion: metadata?.version ?? 0, store: store,
                                                      configuration: configuration, collaborative: collaborative) {
        status.update($0)
    }
    let codes = semanticIDs.tokenizer.codes
    status.finish("semantic IDs: \(grouped(codes.count)) items, \(codes.levels) levels (\(codes.codebookSizes.map(String.init).joined(separator: " x "))), "
                  + (semanticIDs.wasStored ? "read from the store" : "fitted in \(seconds(semanticIDs.tokenizer.fitSeconds))")
                  + " (\(semanticIDs.artifact.name) v\(semanticIDs.artifact.version))")
    return semanticIDs
}

/// `<reports>/<dataset>/semantic-ids.json`: the data set, the stored artefact, and one quality
/// report per code set.
struct SemanticIDReportFile: Codable {
    var dataset: String
    var artifact: String
    var artifactVersion: Int
    var codeSets: [CodeQualityReport]
}

/// Writes `codeSets` to `<reportsDirectory>/<dataset>/semantic-ids.json`; returns the file's URL.
func writeSemanticIDReport(_ codeSets: [CodeQualityReport], dataset: String, artifact: Artifact,
                           reportsDirectory: URL) throws -> URL {
    let folder = reportsDirectory.appendingPathComponent(dataset)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    let file = folder.appendingPathComponent("semantic-ids.json")
    let contents = SemanticIDReportFile(dataset: dataset, artifact: artifact.name, artifactVersion: artifact.version,
                                        codeSets: codeSets)
    try encoder.encode(contents).write(to: file, options: .atomic)
    return file
}

extension SemanticIDMethod: ExpressibleByArgument {}
extension UniqueCodeStrategy: ExpressibleByArgument {}
