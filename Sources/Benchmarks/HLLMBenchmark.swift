import Datasets
import Evaluation
import ItemLLM
import Recommenders

/// HLLM's training speed on ML-100K (user model d 64, 2 blocks, max length 200, batch 128, full
/// softmax): seconds per epoch with the item LLM frozen (its embeddings precomputed) and with its
/// top layer fine-tuned end to end, on the fast path (live features for a sample of the batch's
/// items, cached ones for the rest) and on the exact path (every warm item through the layer at
/// every step), each as a multiple of the frozen epoch measured in the same run.
struct HLLMBenchmarkResult: Codable {
    /// One timed configuration.
    struct Training: Codable {
        /// What was timed, e.g. "frozen item LLM + item ID".
        var variant: String
        /// Epochs timed (the fit on train + validation, early stopping off).
        var epochs: Int
        /// Mean seconds per training epoch (validation excluded).
        var secondsPerEpoch: Double
        /// `secondsPerEpoch` over that of the first variant (frozen item LLM + item ID).
        var relativeToFrozen: Double
    }

    var training: [Training]
    /// Seconds per fine-tuned fast-path epoch over seconds per frozen epoch (issue 14's target: at most 2).
    var fastFineTunedToFrozen: Double

    /// Times `epochs` epochs of each variant on `experiment` (its item LLM attached).
    static func measure(experiment: Experiment, epochs: Int) throws -> HLLMBenchmarkResult {
        let split = experiment.split
        let data = TrainingData(numUsers: split.numUsers, numItems: split.numItems, sequences: split.trainAndValidation)
        let defaults = HLLM.Config()
        let fast = "fine-tuned top layer + item ID, fast (refresh every \(defaults.itemLLMRefreshSteps) steps, "
            + "\(defaults.itemLLMLiveItems) live items)"
        let variants: [(String, [String: String])] = [
            ("frozen item LLM + item ID", [:]),
            ("frozen item LLM, text only", ["fuseItemID": "false"]),
            (fast, ["trainableItemLLMLayers": "1"]),
            ("fine-tuned top layer + item ID, exact", ["trainableItemLLMLayers": "1", "itemLLMRefreshSteps": "0"]),
        ]
        var seconds: [Double] = []
        for (variant, overrides) in variants {
            progress("hllm \(variant): \(epochs) timed epochs")
            let pinned = overrides.merging(["maxEpochs": "\(epochs)", "patience": "\(epochs)", "maxLength": "200",
                                            "dropout": "0.2"]) { a, _ in a }
            let model = try ModelRegistry.candidates(for: HLLM.modelName, overrides: pinned, itemLLM: experiment.itemLLM)[0].make()
            try model.fit(data)
            seconds.append((model as? HLLM)?.trainingSummary?.secondsPerEpoch ?? .nan)
        }
        let frozen = seconds[0]
        let training = zip(variants, seconds).map { variant, seconds in
            Training(variant: variant.0, epochs: epochs, secondsPerEpoch: seconds, relativeToFrozen: seconds / frozen)
        }
        return HLLMBenchmarkResult(training: training, fastFineTunedToFrozen: training[2].relativeToFrozen)
    }

    /// The markdown section `make bench` prints.
    func markdownSection() -> String {
        var table = MarkdownTable(header: ["variant", "epochs timed", "s / epoch", "× frozen + item ID"], rightAligned: [1, 2, 3])
        table.rows = training.map {
            [$0.variant, "\($0.epochs)", MarkdownTable.decimal($0.secondsPerEpoch, digits: 2),
             MarkdownTable.decimal($0.relativeToFrozen, digits: 2)]
        }
        return "## HLLM training on ML-100K (user model d 64, 2 blocks, max length 200, batch 128, full softmax)\n\n"
            + table.rendered()
            + "\nFine-tuned fast epoch / frozen epoch: \(MarkdownTable.decimal(fastFineTunedToFrozen, digits: 2)) (target: at most 2).\n"
    }
}
