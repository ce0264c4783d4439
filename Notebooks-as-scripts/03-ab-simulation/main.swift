// # Notebook 03: simulated A/B test of two rankers
//
// A notebook written as a Swift script
// (`swift run -c release ABSimulationNotebook [--data Data/ml-100k] [--reports reports] [--a ease] [--b mostpop]`).
// Before a ranker ships, would an A/B test show it better, with how many users, and what does it do
// to the catalogue over time? This notebook answers on MovieLens-100K, entirely offline:
//
//   1. evaluate both rankers offline (the standard protocol) — the reference direction;
//   2. build simulated users: each real user's preferences come from a truth model fit on *all*
//      interactions plus their held-out later interactions, which the rankers never see;
//   3. run an A/B test (users split by a stable hash) and team-draft interleaving on the same users;
//   4. power analysis: users needed for each, and power curves (normal approximation vs simulation);
//   5. A/A calibration and a feedback loop (each ranker refit on the clicks it caused);
//   6. write reports/ml-100k/03-ab-simulation.md and three SVG plots.
//
// Every number is computed by this run from the seed; nothing is pasted in.
import Datasets
import Evaluation
import Foundation
import Recommenders
import Simulation

var settings = ["--data": "Data/ml-100k", "--reports": "reports", "--a": "ease", "--b": "mostpop"]
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    guard settings[flag] != nil, let value = arguments.popFirst() else {
        print("USAGE: ABSimulationNotebook [--data DIR] [--reports DIR] [--a MODEL] [--b MODEL]\n"
              + "Simulates an A/B test, interleaving, power curves and a feedback loop of two rankers on MovieLens-100K\n"
              + "and writes <reports>/ml-100k/03-ab-simulation.md with SVG plots.")
        exit(flag == "--help" || flag == "-h" ? 0 : 2)
    }
    settings[flag] = value
}

/// Writes a progress line to standard error, keeping standard output for the notebook's text.
func note(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }

// MARK: - 1. Offline evaluation
print("## 1. Offline evaluation\n")
let experiment = Experiment(dataset: try loadDataset(at: settings["--data"]!, name: "ml-100k").dataset)
let offline = try [settings["--a"]!, settings["--b"]!].map { model in
    let report = try experiment.evaluate(model: model)
    print("\(model): test NDCG@10 \(MarkdownTable.metric(report.testMetrics["NDCG@10"])) (\(MarkdownTable.config(report.config)))")
    return report
}

// MARK: - 2-5. Simulation
// `ABSimulation.run` does steps 2 to 5 with the default options (slates of 10, PBM clicks with
// examination 1/rank, 10% abandoned sessions, EASE λ=300 as the truth model, 200 seeded runs per
// power-curve size, 5 feedback rounds, seed 42).
print("\n## 2-5. Simulation\n")
let report = try ABSimulation.run(experiment: experiment, a: offline[0], b: offline[1], progress: note)
print(report.markdown())

// MARK: - 6. Plots and report
let folder = URL(fileURLWithPath: settings["--reports"]!).appendingPathComponent(report.dataset)
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
let log2 = { (users: Int) in Foundation.log2(Double(users)) }
let powerChart = LineChart(
    title: "Power to detect \(report.a.model) vs \(report.b.model) (α = \(report.power.alpha))",
    xLabel: "users in the experiment (log scale)", yLabel: "power",
    series: [
        .init(name: "A/B analytic", color: "#dd6b20", points: report.power.curve.map { (log2($0.users), $0.abAnalytic) }, dashed: true),
        .init(name: "A/B simulated", color: "#dd6b20", points: report.power.curve.map { (log2($0.users), $0.abSimulated) }, dots: true),
        .init(name: "interleaving analytic", color: "#2b6cb0",
              points: report.power.curve.map { (log2($0.users), $0.interleavingAnalytic) }, dashed: true),
        .init(name: "interleaving simulated", color: "#2b6cb0",
              points: report.power.curve.map { (log2($0.users), $0.interleavingSimulated) }, dots: true),
    ],
    xTicks: report.power.curve.map { (log2($0.users), String($0.users)) }, yRange: 0...1)
let giniValues = (report.feedbackA + report.feedbackB).map(\.exposureGini)
let giniChart = LineChart(
    title: "Exposure Gini per feedback round", xLabel: "round", yLabel: "Gini of exposures",
    series: [
        .init(name: "A \(report.a.model)", color: "#2b6cb0", points: report.feedbackA.map { (Double($0.round), $0.exposureGini) }, dots: true),
        .init(name: "B \(report.b.model)", color: "#dd6b20", points: report.feedbackB.map { (Double($0.round), $0.exposureGini) }, dots: true),
    ],
    xTicks: report.feedbackA.map { (Double($0.round), String($0.round)) },
    yRange: max(0, (giniValues.min() ?? 0) - 0.05)...1)
let files = ["03-ab-intervals.svg": intervalChart(report), "03-power-curves.svg": powerChart.svg(), "03-gini-rounds.svg": giniChart.svg()]
for (name, svg) in files { try svg.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8) }
let markdown = report.markdown() + """

    ## Plots

    ![Per-arm confidence intervals](03-ab-intervals.svg)

    ![Power curves, A/B vs interleaving](03-power-curves.svg)

    ![Gini of exposures per round](03-gini-rounds.svg)

    ## Caveats

    The truth model (EASE by default) is of the same class as an EASE ranker, which favours it; the
    simulation's direction is therefore checked against the offline evaluation above. Attractions
    are fixed over the feedback loop (no fatigue, no drift), and clicked items leave the slates, so
    click-through falls over rounds for every ranker.

    """
try markdown.write(to: folder.appendingPathComponent("03-ab-simulation.md"), atomically: true, encoding: .utf8)
try report.write(to: URL(fileURLWithPath: settings["--reports"]!))
print("wrote \(folder.path)/03-ab-simulation.md, \(files.keys.sorted().joined(separator: ", ")) and the JSON report")
