import ArgumentParser
import Evaluation
import FeatureStore
import Foundation
import Recommenders

struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the models `llmrec train` saved for a data set.",
        discussion: """
        One row per trained model (its latest version): when it was trained, on which version of \
        the data set (marked stale when the store holds a newer one), the saved file's size and \
        the validation NDCG@10 that chose its configuration.
        """)

    @Option(name: .long, help: "Name of a data set in the store.")
    var dataset: String = "ml-100k"

    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        let store = try storeOptions.open(readOnly: true)
        let current = try store.datasetMetadata(named: dataset)?.version
        let formatter = ISO8601DateFormatter()
        var table = MarkdownTable(header: ["model", "version", "trained at", "data set version", "file size", "validation NDCG@10"],
                                  rightAligned: [1, 3, 4, 5])
        for model in ModelRegistry.names {
            guard let artifact = try store.latestArtifact(named: TrainedModel.artifactName(dataset: dataset, model: model)) else { continue }
            let trainedOn = artifact.metadata["datasetVersion"] ?? "?"
            let stale = current.map { String($0) != trainedOn } ?? false
            let bytes = Int(artifact.metadata["bytes"] ?? "")
            table.rows.append([model, "\(artifact.version)", formatter.string(from: artifact.createdAt),
                               "v\(trainedOn)" + (stale ? " (stale: store has v\(current!))" : ""),
                               bytes.map { MarkdownTable.grouped($0) + " B" } ?? "no saved weights",
                               MarkdownTable.metric(artifact.metadata["validationNDCG@10"].flatMap(Double.init))])
        }
        guard !table.rows.isEmpty else {
            throw ValidationError("no trained models for \(dataset) in \(storeOptions.store); run `llmrec train --dataset \(dataset) --model <model>`")
        }
        print(table.rendered(), terminator: "")
    }
}
