import ArgumentParser

@main
struct LLMRec: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "llmrec",
        abstract: "Offline sequential recommendation: ingest dumps, train, evaluate, recommend.",
        discussion: """
        Data flows one way: `ingest` parses a raw dump (MovieLens, Amazon, RecBole) into the LMDB \
        feature store; `evaluate` fits a model under the standard protocol (hyperparameters chosen on \
        validation, test numbers after a refit on train + validation) and writes \
        reports/<dataset>/<model>.json; `leaderboard` compares the saved reports; `train` and \
        `recommend` serve top-K lists. `pipeline` does all of it on MovieLens-100K (what `make run` runs).
        """,
        subcommands: [IngestCommand.self, EvaluateCommand.self, LeaderboardCommand.self, TrainCommand.self,
                      RecommendCommand.self, ExportCommand.self, PipelineCommand.self, SimulateCommand.self,
                      SemanticIDsCommand.self, ModelsCommand.self])
}
