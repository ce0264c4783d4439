import ArgumentParser
import Datasets
import FeatureStore
import Foundation
import Recommenders

struct RecommendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend",
        abstract: "Print the top-K items, with titles, for one user.",
        discussion: """
        Loads the latest model saved by `llmrec train` for the data set (fit once on all of its \
        interactions; nothing is trained here) and scores the user's history; the history is \
        excluded from the list. A model trained on an older version of the data set is refused \
        unless --allow-stale-model is given. USER is the raw user id of the \
        source data (for MovieLens, the number in the ratings file).
        """)

    @Argument(help: "Raw user id, as in the source files.")
    var user: String

    @Option(name: .long, help: "Model trained with `llmrec train` (\(ModelRegistry.names.joined(separator: ", "))).")
    var model: String

    @Option(name: .long, help: "Name of a data set in the store.")
    var dataset: String = "ml-100k"

    @Option(name: .short, help: "Number of recommendations.")
    var k: Int = 10

    @Flag(name: .long, help: "Also print the user's most recent history.")
    var showHistory = false

    @Flag(name: .long, help: "Serve a model trained on an older version of the data set (new users are served from their histories) instead of refusing.")
    var allowStaleModel = false

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var itemLLMOptions: ItemLLMOptions

    func validate() throws {
        if k < 1 { throw ValidationError("-k must be at least 1") }
    }

    func run() throws {
        let store = try storeOptions.open(readOnly: !ModelRegistry.readsItemText(model))
        let trained = try TrainedModel.load(from: store, dataset: dataset, model: model,
                                              itemLLM: ModelRegistry.readsItemText(model) ? itemLLMOptions.directory() : nil,
                                              allowStale: allowStaleModel)
        if trained.datasetVersion != Int(trained.artifact.metadata["datasetVersion"] ?? "") {
            StatusLine().finish("serving \(model) trained on \(dataset) v\(trained.artifact.metadata["datasetVersion"] ?? "?") for v\(trained.datasetVersion) (--allow-stale-model): \(grouped(trained.usersNewSinceTraining)) users added since training are served from their histories")
        }
        let (data, artifact, recommender) = (trained.dataset, trained.artifact, trained.recommender)
        guard let userIndex = data.userIDs.firstIndex(of: user) else {
            throw ValidationError("user '\(user)' is not in \(dataset) (\(grouped(data.numUsers)) users, e.g. \(data.userIDs.prefix(3).joined(separator: ", ")))")
        }

        let history = trained.histories[userIndex]
        if showHistory {
            print("history of user \(user) (\(history.count) items, most recent first):")
            for item in history.suffix(10).reversed() { print("  \(describe(item, in: data))") }
            print()
        }
        print("top \(k) for user \(user) by \(model) (\(artifact.name) v\(artifact.version)):")
        for (rank, entry) in recommender.recommend(user: Int32(userIndex), history: history, k: k).enumerated() {
            print(String(format: "%3d. %8.4f  %@", rank + 1, entry.score, describe(entry.item, in: data)))
        }
    }

    private func describe(_ item: Int32, in data: InteractionDataset) -> String {
        let record = data.items[Int(item)]
        var text = "[\(record.rawID)] \(record.title)"
        if let year = record.fields["year"], !year.isEmpty { text += " (\(year))" }
        if let genres = record.fields["genres"], !genres.isEmpty { text += " — \(genres)" }
        return text
    }
}
