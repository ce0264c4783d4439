import Datasets
import Evaluation
import Foundation
import Recommenders
import SeededRandom

/// The models on a generated data set of an Amazon review benchmark's shape (Beauty 5-core: 22,363
/// users, 12,101 items, 198,502 interactions, about 9 per user, skewed item popularity): EASE's fit
/// against its ranking (the sparse-scoring target: validation + test ranking under a quarter of the
/// fit), ItemKNN's evaluation, SASRec's seconds per epoch, and each stage's peak memory. Quality
/// numbers on generated data mean nothing and are not printed.
struct AmazonSizedBenchmarkResult: Codable {
    /// The generated data set's shape.
    struct Shape: Codable {
        var users: Int
        var items: Int
        var interactions: Int
        var generationSeconds: Double
    }

    /// One model's standard protocol (one pinned configuration: validation fit and ranking, refit
    /// on train + validation, test ranking).
    struct Stage: Codable {
        var model: String
        var config: [String: String]
        /// The validation-stage fit (on train) and the refit (on train + validation), seconds.
        var validationFitSeconds: Double
        var refitSeconds: Double
        /// Ranking every validation case and every test case (scoring, ranking, metrics; all cores).
        var validationRankingSeconds: Double
        var testRankingSeconds: Double
        /// Peak resident memory during the stage, bytes (nil where /proc is missing).
        var peakBytes: Int?
        /// SASRec only: mean seconds per training epoch.
        var secondsPerEpoch: Double?

        /// Validation + test ranking over the refit's seconds.
        var rankingOverFit: Double { (validationRankingSeconds + testRankingSeconds) / refitSeconds }
    }

    /// EASE's closed-form fit alone on a generated catalogue of `items` items (`--ease-fit-items`).
    struct EASEFit: Codable {
        var items: Int
        var seconds: Double
        var peakBytes: Int?
    }

    var shape: Shape
    var stages: [Stage]
    var easeFits: [EASEFit]

    /// Generates the data set, runs EASE, ItemKNN and SASRec (`sasrecEpochs` timed epochs, 0 skips it)
    /// on it, then EASE fits alone at each of `easeFitItems` catalogue sizes.
    static func measure(sasrecEpochs: Int, easeFitItems: [Int]) throws -> AmazonSizedBenchmarkResult {
        progress("amazon-sized: generating 22,363 users x 12,101 items")
        let (dataset, generationSeconds) = Stopwatch.time {
            generate(users: 22_363, items: 12_101, extraLengthMean: 3.88, seed: 2014)
        }
        let experiment = Experiment(dataset: dataset)
        let shape = Shape(users: dataset.numUsers, items: dataset.numItems, interactions: dataset.interactions.count,
                          generationSeconds: generationSeconds)
        var stages = [try protocolStage(model: "ease", overrides: ["l2": "300"], experiment: experiment),
                      try protocolStage(model: "itemknn", overrides: ["neighbors": "50", "shrink": "0"], experiment: experiment)]
        if sasrecEpochs > 0 { stages.append(try sasrecStage(epochs: sasrecEpochs, experiment: experiment)) }
        let easeFits = try easeFitItems.map { items in
            progress("amazon-sized: EASE fit alone, \(items) items")
            let data = Experiment(dataset: generate(users: 22_363 * items / 12_101, items: items, extraLengthMean: 3.88,
                                                    seed: 2015)).allInteractionsTrainingData()
            PeakMemory.reset()
            let seconds = try Stopwatch.time { try EASE(config: EASE.Config(l2: 300)).fit(data) }.seconds
            return EASEFit(items: items, seconds: seconds, peakBytes: PeakMemory.bytes())
        }
        return AmazonSizedBenchmarkResult(shape: shape, stages: stages, easeFits: easeFits)
    }

    /// `model` with `overrides` pinned through `ModelSelection`, as `llmrec evaluate` runs it.
    private static func protocolStage(model: String, overrides: [String: String], experiment: Experiment) throws -> Stage {
        progress("amazon-sized: \(model)")
        PeakMemory.reset()
        let report = try experiment.evaluate(model: model, overrides: overrides)
        let seconds = { (key: String) in report.timings[key] ?? .nan }
        return Stage(model: model, config: report.config, validationFitSeconds: seconds("gridFit"), refitSeconds: seconds("fit"),
                     validationRankingSeconds: seconds("validation"), testRankingSeconds: seconds("test"),
                     peakBytes: PeakMemory.bytes(), secondsPerEpoch: nil)
    }

    /// SASRec (full cross-entropy, maximum length 50 as on Amazon data) fit on train + validation for
    /// `epochs` timed epochs, early stopping off.
    private static func sasrecStage(epochs: Int, experiment: Experiment) throws -> Stage {
        progress("amazon-sized: sasrec, \(epochs) timed epochs")
        PeakMemory.reset()
        let split = experiment.split
        let model = SASRec(config: SASRec.Config(maxLength: 50, maxEpochs: epochs, patience: epochs))
        let data = TrainingData(numUsers: split.numUsers, numItems: split.numItems, sequences: split.trainAndValidation)
        let fitSeconds = try Stopwatch.time { try model.fit(data) }.seconds
        let testSeconds = try Stopwatch.time { _ = try Evaluator().evaluate(model, on: split.test) }.seconds
        let shown = ["loss", "maxLength", "dim", "blocks"]
        return Stage(model: "sasrec", config: model.configDescription.filter { shown.contains($0.key) }, validationFitSeconds: .nan, refitSeconds: fitSeconds,
                     validationRankingSeconds: .nan, testRankingSeconds: testSeconds, peakBytes: PeakMemory.bytes(),
                     secondsPerEpoch: model.trainingSummary?.secondsPerEpoch)
    }

    /// A data set of `users` users over `items` items, a pure function of `seed`: each user has 5
    /// plus a geometric number of distinct items (mean `extraLengthMean`, at most 200), drawn from
    /// a Zipf law of exponent 0.5 over a shuffled catalogue (the most popular item takes about 0.5%
    /// of the interactions), one timestamp per step.
    static func generate(users: Int, items: Int, extraLengthMean: Double, seed: UInt64) -> InteractionDataset {
        var random = SplitMix64(seed: seed)
        let popularity = ZipfDistribution(count: items, exponent: 0.5)
        let itemOfRank = Array(0..<items).shuffled(using: &random)
        let continuation = extraLengthMean / (1 + extraLengthMean)
        var builder = InteractionDatasetBuilder(expectedInteractions: users * Int(5 + extraLengthMean + 1))
        for user in 0..<users {
            let extra = Int(log(max(random.nextUnit(), 1e-12)) / log(continuation))
            let length = min(5 + extra, 200, items)
            var chosen = Set<Int>()
            var step: Int64 = 0
            while chosen.count < length {
                let item = itemOfRank[popularity.sample(using: &random)]
                guard chosen.insert(item).inserted else { continue }
                builder.addInteraction(userID: "u\(user)", itemID: "i\(item)", rating: 5, timestamp: 1_400_000_000 + step * 86_400)
                step += 1
            }
        }
        return builder.build(name: "amazon-sized")
    }

    /// The section's markdown.
    func markdownSection() -> String {
        var table = MarkdownTable(header: ["model", "config", "fit on train (s)", "refit (s)", "validation ranking (s)",
                                           "test ranking (s)", "ranking / refit", "s / epoch", "peak RSS"],
                                  rightAligned: Set(2...8))
        let seconds = { (value: Double) in value.isNaN ? "–" : MarkdownTable.decimal(value, digits: 2) }
        table.rows = stages.map { stage in
            [stage.model, stage.config.keys.sorted().map { "\($0)=\(stage.config[$0]!)" }.joined(separator: " "),
             seconds(stage.validationFitSeconds), seconds(stage.refitSeconds), seconds(stage.validationRankingSeconds),
             seconds(stage.testRankingSeconds), stage.rankingOverFit.isNaN ? "–" : MarkdownTable.decimal(stage.rankingOverFit, digits: 3),
             stage.secondsPerEpoch.map { MarkdownTable.decimal($0, digits: 2) } ?? "–", megabytes(stage.peakBytes)]
        }
        var text = "## Amazon-sized data (generated: \(MarkdownTable.grouped(shape.users)) users, "
            + "\(MarkdownTable.grouped(shape.items)) items, \(MarkdownTable.grouped(shape.interactions)) interactions)\n\n"
            + table.rendered()
            + "\nTarget: EASE's validation + test ranking under a quarter of its fit (ranking / refit < 0.25). "
            + "SASRec: full cross-entropy, maximum length 50; its \"refit\" is the timed epochs, its test ranking one pass.\n"
        if !easeFits.isEmpty {
            var fits = MarkdownTable(header: ["items", "EASE fit (s)", "peak RSS"], rightAligned: [0, 1, 2])
            fits.rows = easeFits.map { [MarkdownTable.grouped($0.items), MarkdownTable.decimal($0.seconds, digits: 1), megabytes($0.peakBytes)] }
            text += "\nEASE's closed-form fit alone (users scaled with the catalogue):\n\n" + fits.rendered()
        }
        return text
    }
}
