// # Notebook 01: MovieLens-100K baselines
//
// A notebook written as a Swift script (`make notebook`, or
// `swift run -c release MovieLensBaselines --store /tmp/nb-store --reports /tmp/nb-reports`).
// It walks through llmrec's offline loop on the smallest real data set, with the four
// collaborative-filtering baselines every later model has to beat (MostPop, ItemKNN, EASE, iALS):
//
//   1. ingest the raw MovieLens-100K files into the feature store;
//   2. look at the data: size, sparsity, how long user histories are, and the leave-one-out split;
//   3. fit and evaluate each baseline under the standard protocol (DESIGN.md);
//   4. write the reports: one JSON file per model, a markdown summary with confidence intervals,
//      paired tests and per-bucket metrics, and an SVG chart of NDCG@10;
//   5. show the best model's top 10 for one user, with titles.
//
// Every number printed below is computed by this run; nothing is pasted in.
import Datasets
import Evaluation
import FeatureStore
import Foundation
import Recommenders

let options = NotebookOptions(arguments: Array(CommandLine.arguments.dropFirst()))
let datasetName = "ml-100k"

/// Prints a numbered section heading.
func section(_ number: Int, _ title: String) {
    print("\n## \(number). \(title)\n")
}

/// Writes a progress line to standard error, keeping standard output for the notebook's text.
func note(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

guard FileManager.default.fileExists(atPath: options.data) else {
    note("error: no MovieLens-100K at \(options.data); run `make setup` (or pass --data DIR)")
    exit(1)
}

// MARK: - 1. Ingest
section(1, "Ingest MovieLens-100K into the feature store")
// `ingestDataset` streams the RecBole atomic files (ml-100k.inter, .item, .user), maps raw ids to
// dense indices, checksums the sources and stores everything in one LMDB write transaction.
// Running the notebook again finds the same checksums and writes nothing.
let store = try FeatureStore(path: options.store)
let ingest = try ingestDataset(at: options.data, name: datasetName, into: store)
let stored = ingest.metadata
print(ingest.changed ? "Stored \(stored.name) version \(stored.version) in \(options.store)/"
                     : "\(stored.name) version \(stored.version) was already in \(options.store)/ from the same files: nothing written")
print("  format \(stored.format); \(stored.userCount) users, \(stored.itemCount) items, \(stored.interactionCount) interactions")
print(String(format: "  parsed %d lines in %.2f s, stored in %.2f s", ingest.report.linesRead, ingest.parseSeconds, ingest.storeSeconds))
for file in stored.sourceFiles {
    print("  source \(file.path): \(file.bytes) bytes, sha256 \(file.sha256.prefix(16))…")
}

// MARK: - 2. Look at the data
section(2, "Look at the data")
// Everything from here on reads the store, as a nightly job would. `Experiment` splits the data
// leave-one-out: per user, ordered by time (ties broken by a seeded hash of the raw user and item
// ids), the last item is the test target, the one before it the validation target, the rest is
// training history.
let experiment = try Experiment(store: store, dataset: datasetName)
let data = DataSummary(experiment)
print("\(data.users) users × \(data.items) items, \(data.interactions) interactions: density \(percent(data.density)).")
print("Interactions per user: min \(data.lengthQuantile(0)), quartiles \(data.lengthQuantile(0.25)) / "
      + "\(data.lengthQuantile(0.5)) / \(data.lengthQuantile(0.75)), mean \(String(format: "%.1f", data.meanLength)), max \(data.lengthQuantile(1)).")
// MovieLens-100K keeps only users with at least 20 ratings, so there are no cold users; the
// histogram shows the long tail of heavy raters instead.
let histogram = data.lengthHistogram(.standard)
let widest = histogram.map(\.users).max() ?? 1
for bucket in histogram {
    print("  " + bucket.label.padding(toLength: 8, withPad: " ", startingAt: 0) + String(format: "%4d users  ", bucket.users)
          + String(repeating: "█", count: bucket.users * 40 / max(widest, 1)))
}
// The split's first lines and its checksum, as the README lists them (DESIGN.md lists the old item-id rule's).
print("\nSplit (user, validation item, test item; raw ids):")
for line in data.splitLines.prefix(3) { print("  " + line.replacingOccurrences(of: "\t", with: " "), terminator: "") }
print("  … \(data.splitLines.count) users; for \(data.tiedLastPairs) of them the last two items share a timestamp.")
print("  test item ids sum to \(data.testItemIDSum); SHA-256 \(data.splitSHA256.prefix(16))… "
      + (data.splitSHA256 == DataSummary.expectedSplitSHA256 ? "(matches the README's fingerprint)" : "(does NOT match the README's fingerprint)"))
// The most popular items: what MostPop will recommend to everyone.
let popularity = Dictionary(grouping: experiment.dataset.interactions, by: \.item).mapValues(\.count)
print("\nMost-rated movies:")
for (item, count) in popularity.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }).prefix(5) {
    print("  \(count) ratings  \(experiment.dataset.items[Int(item)].title)")
}

// MARK: - 3. Fit and evaluate the baselines
section(3, "Fit and evaluate each baseline")
// For each model, `Experiment.evaluate` fits every point of the model's grid on the training part,
// ranks the whole catalogue for each validation user (their history excluded), keeps the best
// validation NDCG@10, refits it on train + validation and ranks the test items once.
var reports: [EvaluationReport] = []
// The collaborative-filtering baselines and the random floor; SASRec and HLLM have notebook 02.
for model in [RandomRanker.modelName, MostPop.modelName, ItemKNN.modelName, EASE.modelName, IALS.modelName] {
    let report = try experiment.evaluate(model: model) { event in
        if case .validated(let index, let count, let config, let metric, let seconds) = event {
            note(String(format: "  %@ [%d/%d] %@: valid NDCG@10 %.4f (%.2f s)", model, index + 1, count, MarkdownTable.config(config), metric, seconds))
        }
    }
    print(model.padding(toLength: 8, withPad: " ", startingAt: 0)
          + String(format: " chosen %@ from %d grid points: valid NDCG@10 %.4f, test NDCG@10 %.4f (%.1f s)",
                   MarkdownTable.config(report.config), report.grid.count, report.validationMetrics["NDCG@10"] ?? .nan,
                   report.testMetrics["NDCG@10"] ?? .nan, report.timings["total"] ?? .nan))
    reports.append(report)
}

// MARK: - 4. Reports
section(4, "Write the reports")
// One JSON file per model (the format every later notebook and the leaderboard read), then the
// leaderboard: best test NDCG@10 first, a 95% confidence interval over users, and a paired t-test
// of each model against the best one on the same test users.
let reportsDirectory = URL(fileURLWithPath: options.reports)
for report in reports {
    print("wrote \(try report.write(to: reportsDirectory).path)")
}
let leaderboard = Leaderboard(reports: reports)
print("\n" + leaderboard.markdown())
let folder = reportsDirectory.appendingPathComponent(datasetName)
let chart = folder.appendingPathComponent("01-ndcg10.svg")
try leaderboard.svgBarChart().write(to: chart, atomically: true, encoding: .utf8)

// MARK: - 5. One user's top 10
section(5, "Top 10 for one user")
// The best model, refit on every interaction (what serving would use), recommends for user 1.
// Their own history is excluded, so these are all movies they have not rated.
let best = reports.first { $0.model == leaderboard.entries[0].model }!
let recommender = try ModelRegistry.candidates(for: best.model, overrides: best.config)[0].make()
let allInteractions = experiment.allInteractionsTrainingData()
try recommender.fit(allInteractions)
let userIndex = experiment.dataset.userIDs.firstIndex(of: "1") ?? 0
let history = allInteractions.sequences[userIndex]
let movies = experiment.dataset.items
/// A movie as `title (year)`.
func describe(_ item: Int32) -> String {
    let record = movies[Int(item)]
    return record.title + (record.fields["year"].map { " (\($0))" } ?? "")
}
var topTen = ["user \(experiment.dataset.userIDs[userIndex]): \(history.count) movies rated; the last three: "
              + history.suffix(3).reversed().map(describe).joined(separator: "; "),
              "\(best.model) (\(MarkdownTable.config(best.config))) recommends:"]
for (rank, entry) in recommender.recommend(user: Int32(userIndex), history: history, k: 10).enumerated() {
    topTen.append(String(format: "%3d. %8.4f  ", rank + 1, entry.score) + describe(entry.item))
}
print(topTen.joined(separator: "\n"))

// The markdown report closes the loop: the same numbers, plus the grids, the per-bucket table and
// an interpretation generated from them.
let markdownFile = folder.appendingPathComponent("01-movielens-baselines.md")
let summary = BaselinesReport(data: data, reports: reports, leaderboard: leaderboard, topTen: topTen)
try summary.markdown().write(to: markdownFile, atomically: true, encoding: .utf8)
print("\nInterpretation:")
for line in summary.interpretation() { print("  - " + line) }
print("\nwrote \(markdownFile.path) and \(chart.path)")
