// # Notebook 02: HLLM on MovieLens-100K — an item LLM feeding a user model
//
// A notebook written as a Swift script (`make notebook-hllm`, or
// `swift run -c release HLLMNotebook [--store DIR] [--reports DIR] [--data DIR] [--item-llm DIR] [--max-epochs N]`).
// HLLM (Chen et al. 2024) splits sequential recommendation in two: an item LLM reads each item's
// text and produces its embedding; a user model, a causal transformer over the embeddings of the
// items a user consumed, predicts the next one. This notebook runs that hierarchy with a real
// pretrained item LLM (all-MiniLM-L6-v2, run in Swift) on MovieLens-100K:
//
//   1. the item LLM: item texts, encoding throughput, and nearest neighbours by text alone;
//   2. the leaderboard: HLLM against SASRec and the baselines under the standard protocol;
//   3. an ablation: frozen vs fine-tuned item LLM, with and without a fused item-ID embedding;
//   4. cold start: items nobody interacted with during training, recommended from their text;
//   5. validation NDCG@10 per epoch for SASRec and HLLM (SVG);
//   6. everything written to <reports>/ml-100k/02-hllm.md.
//
// Every number printed below is computed by this run from the seeds; nothing is pasted in.
import Datasets
import Evaluation
import FeatureStore
import Foundation
import ItemLLM
import NeuralNet
import Recommenders

var settings = ["--store": "store", "--reports": "reports", "--data": "Data/ml-100k", "--item-llm": ModelDirectory.defaultPath,
                "--max-epochs": "", "--finetune-epochs": "5", "--cold-fraction": "0.2"]
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    guard settings[flag] != nil, let value = arguments.popFirst() else {
        print("""
        USAGE: HLLMNotebook [--store DIR] [--reports DIR] [--data DIR] [--item-llm DIR] [--max-epochs N]
                            [--finetune-epochs N] [--cold-fraction F]

        HLLM on MovieLens-100K: item-LLM embeddings, the leaderboard against SASRec and the baselines, an
        ablation (frozen vs fine-tuned item LLM, with and without item-ID fusion), a cold-start evaluation
        and per-epoch validation curves; writes <reports>/ml-100k/02-hllm.md and two SVG charts.

          --max-epochs N       cap the epochs of every neural model (default: each model's own, 300)
          --finetune-epochs N  epoch budget of the ablation's fine-tuned variants and their frozen
                               counterparts (default 5; fine-tuning costs ~40 s per epoch on 2 cores)
          --cold-fraction F    share of the catalogue held out for the cold-start evaluation (default 0.2)
        """)
        exit(flag == "--help" || flag == "-h" ? 0 : 2)
    }
    settings[flag] = value
}
// SASRec and HLLM at their reference point (dropout 0.2, length 200, no weight decay), as `make
// run` pins them: searching their grids is `llmrec evaluate`'s work, not this notebook's.
let neuralSettings = ["dropout": "0.2", "maxLength": "200", "weightDecay": "0"]
    .merging(settings["--max-epochs"]!.isEmpty ? [:] : ["maxEpochs": settings["--max-epochs"]!]) { $1 }

/// Writes a progress line to standard error, keeping standard output for the notebook's text.
func note(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }

/// The notebook's text: printed, and kept for the markdown report.
var document: [String] = []
func say(_ text: String = "") {
    print(text)
    document.append(text)
}

// MARK: - 1. The item LLM
say("# Notebook 02: HLLM on MovieLens-100K\n")
say("## 1. The item LLM\n")
// The store keeps MovieLens-100K (ingested once) and, after the first run, the catalogue's
// embeddings as a versioned artefact keyed by data set version, model weights, template and token
// budget. `attachItemLLM` reads them back, or tokenizes and encodes every item text and stores them.
let store = try FeatureStore(path: settings["--store"]!)
_ = try ingestDataset(at: settings["--data"]!, name: "ml-100k", into: store)
var experiment = try Experiment(store: store, dataset: "ml-100k")
try experiment.attachItemLLM(modelDirectory: ModelDirectory(path: settings["--item-llm"]!), store: store) { note($0) }
let catalogue = experiment.itemLLM!
let tokenCounts = catalogue.tokenIDs.map(\.count).sorted()
say("Template `\(catalogue.template.name)`, e.g. `\(catalogue.texts[0])`")
say("\(catalogue.count) item texts, \(tokenCounts.reduce(0, +)) tokens ([CLS] and [SEP] included): median \(tokenCounts[tokenCounts.count / 2]), "
    + "longest \(tokenCounts.last ?? 0) (budget \(catalogue.maxTokens)).")
if let stats = catalogue.encoding {
    say(String(format: "Encoded by all-MiniLM-L6-v2 in %.1f s: %.0f items/s, %.0f tokens/s, %.1f GFLOP/s.",
               stats.seconds, stats.itemsPerSecond, stats.tokensPerSecond, stats.gflopsPerSecond))
} else {
    say("Embeddings read from the store: `\(catalogue.artifact?.name ?? "")` version \(catalogue.artifact?.version ?? 0) "
        + "(`make bench` measures the encoding throughput).")
}
// Nearest neighbours by cosine similarity of the text embeddings, before any training: the item
// LLM alone already groups films by genre words and title.
let movies = experiment.dataset.items
func describe(_ item: Int) -> String { movies[item].title + (movies[item].fields["year"].map { " (\($0))" } ?? "") }
say("\nNearest neighbours by text embedding alone:\n")
for title in ["Toy Story", "Star Wars", "Scream", "Sense and Sensibility"] {
    guard let item = movies.firstIndex(where: { $0.title == title }) else { continue }
    let neighbours = catalogue.nearestNeighbours(of: item, k: 3)
        .map { "\(describe($0.item)) \(String(format: "%.2f", $0.cosine))" }
    say("- **\(describe(item))**: " + neighbours.joined(separator: "; "))
}

// MARK: - 2. Leaderboard
say("\n## 2. Leaderboard (standard protocol)\n")
// Each model goes through the same model selection and evaluation loop as in notebook 01. SASRec
// and HLLM keep their fitted instances so section 5 can plot their training curves.
/// Evaluates `model` (with `overrides`) on `experiment`; returns the report and the fitted
/// instances in the order they were made (grid points, then the refit on train + validation).
func evaluate(_ model: String, overrides: [String: String] = [:], on experiment: Experiment) throws
    -> (report: EvaluationReport, fitted: [any Recommender]) {
    var fitted: [any Recommender] = []
    let report = try experiment.evaluate(model: model, overrides: overrides, onEvent: { event in
        if case .tested(_, let metric, let seconds) = event {
            note(String(format: "  %@ on %@: test NDCG@10 %.4f (%.0f s)", model, experiment.reportName, metric, seconds))
        }
    }, onModel: { fitted.append($0) })
    return (report, fitted)
}
let reportsDirectory = URL(fileURLWithPath: settings["--reports"]!)
var reports: [EvaluationReport] = []
var curves: [(name: String, summary: TrainingLoop.Summary)] = []
for model in ["random", "mostpop", "ease", "sasrec", "hllm"] {
    let (report, fitted) = try evaluate(model, overrides: ["sasrec", "hllm"].contains(model) ? neuralSettings : [:], on: experiment)
    _ = try report.write(to: reportsDirectory)
    reports.append(report)
    if let sasrec = fitted.last as? SASRec, let summary = sasrec.trainingSummary { curves.append(("SASRec", summary)) }
    if let hllm = fitted.last as? HLLM, let summary = hllm.trainingSummary { curves.append(("HLLM", summary)) }
}
say(Leaderboard(reports: reports).markdown())
let hllmReport = reports.first { $0.model == "hllm" }!, sasrecReport = reports.first { $0.model == "sasrec" }!
say("\n" + hllmReport.pairedComparison(against: sasrecReport, name: "HLLM", otherName: "SASRec") + ".")

// MARK: - 3. Ablation
say("\n## 3. Ablation: what the item LLM and the item ID each contribute\n")
// HLLM's default represents an item by its projected text embedding plus a learned item-ID
// embedding, with the item LLM frozen (its embeddings computed once). The variants drop the ID
// (text only) and/or train the item LLM's top layer end to end, as HLLM does (Chen et al. report
// that fine-tuning the item LLM matters). Fine-tuning runs that layer forward and backward over
// every item text at every step, about 20x the cost of an epoch with the item LLM frozen, so the
// fine-tuned variants train for a fixed budget of `--finetune-epochs` epochs and are compared
// with the frozen ones at the same budget.
let budget = settings["--finetune-epochs"]!
let budgeted = ["maxEpochs": budget, "patience": budget]
let variants: [(name: String, overrides: [String: String], comparedWith: Int?)] = [
    ("frozen + item ID (default)", [:], nil),
    ("frozen, text only", ["fuseItemID": "false"], 0),
    ("frozen + item ID, \(budget) epochs", budgeted, nil),
    ("frozen, text only, \(budget) epochs", budgeted.merging(["fuseItemID": "false"]) { a, _ in a }, nil),
    ("fine-tuned top layer + item ID, \(budget) epochs", budgeted.merging(["trainableItemLLMLayers": "1"]) { a, _ in a }, 2),
    ("fine-tuned top layer, text only, \(budget) epochs",
     budgeted.merging(["trainableItemLLMLayers": "1", "fuseItemID": "false"]) { a, _ in a }, 3),
]
var ablationReports: [EvaluationReport] = []
var ablation = MarkdownTable(header: ["variant", "test NDCG@10", "test HR@10", "epochs (best)", "s/epoch", "difference (paired test)"],
                             rightAligned: [1, 2, 3, 4])
for (name, overrides, comparedWith) in variants {
    let report = overrides.isEmpty ? hllmReport : try evaluate("hllm", overrides: neuralSettings.merging(overrides) { _, b in b }, on: experiment).report
    ablationReports.append(report)
    let difference = comparedWith.map { index in
        (report.pairedDifference(against: ablationReports[index]) ?? "no shared users")
            + " vs \"\(variants[index].name)\""
    } ?? "–"
    ablation.rows.append([name, MarkdownTable.metric(report.testMetrics["NDCG@10"]), MarkdownTable.metric(report.testMetrics["HR@10"]),
                          "\(report.counts["epochsRun"] ?? 0) (\(report.counts["bestEpoch"] ?? 0))",
                          MarkdownTable.seconds(report.timings["secondsPerEpoch"]), difference])
}
say(ablation.rendered())

// MARK: - 4. Cold start
say("\n## 4. Cold start: recommending items nobody has interacted with\n")
// A seeded share of the catalogue is removed from every training sequence and every history; the
// test cases are the users whose test item is one of them. SASRec and MostPop have never seen
// those items (their embeddings and counts are untrained), so they can only rank them by chance
// or below it; HLLM without the item-ID embedding scores them through their text.
let coldFraction = Double(settings["--cold-fraction"]!) ?? 0.2
let cold = experiment.coldStart(itemFraction: coldFraction)
var coldReports: [EvaluationReport] = []
for (model, overrides) in [("random", [String: String]()), ("mostpop", [:]), ("sasrec", neuralSettings),
                           ("hllm", neuralSettings.merging(["fuseItemID": "false"]) { a, _ in a })] {
    let report = try evaluate(model, overrides: overrides, on: cold).report
    _ = try report.write(to: reportsDirectory)
    coldReports.append(report)
}
say("\(cold.coldItems.count) cold items (\(Int(coldFraction * 100))% of the catalogue), \(coldReports[0].counts["testCases"] ?? 0) test cases "
    + "whose target is cold; \(coldReports[0].counts["trainInteractions"] ?? 0) training interactions remain.\n")
say(EvaluationReport.testMetricsTable(coldReports) { $0.model + ($0.model == "hllm" ? " (text only)" : "") }.rendered())
say(String(format: "\nA random ranking hits a given target in its top 10 with probability about 10/%d = %.4f.",
           experiment.dataset.numItems, 10 / Double(experiment.dataset.numItems)))
say(coldReports[3].pairedComparison(against: coldReports[2], name: "HLLM", otherName: "SASRec") + ".")

// MARK: - 5. Training curves
say("\n## 5. Validation NDCG@10 per epoch\n")
// Both models stop early on the held-out last training item of each user (the validation item
// of the standard protocol, in the refit on train + validation) and restore their best epoch.
let folder = reportsDirectory.appendingPathComponent("ml-100k")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
let colors = ["#1f77b4", "#d62728"]
let series = curves.enumerated().map { index, curve in
    LineChart.Series(name: curve.name, color: colors[index % colors.count],
                     points: curve.summary.epochs.compactMap { epoch in epoch.metric.map { (Double(epoch.epoch), $0) } })
}
let highest = series.flatMap { $0.points.map(\.y) }.max() ?? 0.1
let longest = curves.map(\.summary.epochs.count).max() ?? 1
let step = max(1, (longest / 5 / 10) * 10)
let chart = LineChart(title: "Validation NDCG@10 per epoch on ml-100k", xLabel: "epoch", yLabel: "NDCG@10", series: series,
                      xTicks: stride(from: 0, through: longest, by: step).map { (Double($0), "\($0)") },
                      yRange: 0...(highest * 1.15))
try chart.svg().write(to: folder.appendingPathComponent("02-hllm-validation.svg"), atomically: true, encoding: .utf8)
for curve in curves {
    say(String(format: "- %@: %d epochs, best %d (validation NDCG@10 %.4f), %.2f s per epoch", curve.name, curve.summary.epochsRun,
               curve.summary.bestEpoch, curve.summary.bestMetric, curve.summary.secondsPerEpoch))
}
say("\n![validation NDCG@10 per epoch](02-hllm-validation.svg)")

// MARK: - 6. Report
let reportFile = folder.appendingPathComponent("02-hllm.md")
try (document.joined(separator: "\n") + "\n").write(to: reportFile, atomically: true, encoding: .utf8)
note("wrote \(reportFile.path) and 02-hllm-validation.svg")
