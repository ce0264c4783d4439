import Evaluation

/// What is exported: a fit scorer, the data set's raw ids and histories, and the versions that
/// identify them in the manifest.
public struct ExportSource {
    /// Scores the whole catalogue for a block of users (any `Recommender`, or a `FactorModel`).
    public let scorer: any RankingScorer
    /// Raw user ids of the data set, `[numUsers]`; written in the output and hashed for shards.
    public let userIDs: [String]
    /// Raw item ids, `[numItems]`; written in the output instead of internal indices.
    public let itemIDs: [String]
    /// Each user's chronological history, `[numUsers][len]` (internal item indices): the scorer's
    /// input and, by default, excluded from the lists.
    public let histories: [[Int32]]
    /// Data set name and version, model name and artefact version, as the manifest records them.
    public let dataset: String
    public let datasetVersion: Int
    public let model: String
    public let modelVersion: Int
    /// SHA-256 of the saved model file the scorer was restored from (nil for a model made in memory).
    public let modelSHA256: String?

    /// A source; `userIDs` and `histories` have one entry per user, `itemIDs` one per scored item.
    public init(scorer: any RankingScorer, userIDs: [String], itemIDs: [String], histories: [[Int32]],
                dataset: String, datasetVersion: Int, model: String, modelVersion: Int, modelSHA256: String? = nil) {
        precondition(userIDs.count == histories.count, "one history per user")
        precondition(itemIDs.count == scorer.numItems, "one item id per scored item")
        self.scorer = scorer
        self.userIDs = userIDs
        self.itemIDs = itemIDs
        self.histories = histories
        self.dataset = dataset
        self.datasetVersion = datasetVersion
        self.model = model
        self.modelVersion = modelVersion
        self.modelSHA256 = modelSHA256
    }
}
