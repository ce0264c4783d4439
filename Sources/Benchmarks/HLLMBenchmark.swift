import Datasets
import Evaluation
import ItemLLM
import Recommenders

/// HLLM's training speed on ML-100K (user model d 64, 2 blocks, max length 200, batch 128, full
/// softmax): seconds per epoch with the item LLM frozen (its embeddings precomputed) and with its
/// top layer fine-tuned end to end, next to SASRec's in the same configuration.
struct HLLMBenchmarkResult: Codable {
    /// One timed configuration.
    struct Training: Codable {
        /// What was timed, e.g. "frozen item LLM + item ID".
        var variant: String
        /// Epochs timed (the fit on train + validation, early stopping off).
        var epochs: Int
        /// Mean seconds per training epoch (validation excluded).
        var secondsPerEpoch: Double
    }

    var training: [Training]

    /// Times `epochs` epochs of each variant on `experiment` (its item LLM attached).
    static func measure(experiment: Experiment, epochs: Int) throws -> HLLMBenchmarkResult {
        let split = experiment.split
        let data = TrainingData(numUsers: split.numUsers, numItems: split.numItems, sequences: split.trainAndValidation)
        let variants: [(String, [String: String])] = [
            ("frozen item LLM + item ID", [:]),
            ("frozen item LLM, text only", ["fuseItemID": "false"]),
            ("fine-tuned top layer + item ID", ["trainableItemLLMLayers": "1"]),
        ]
        var training: [Training] = []
        for (variant, overrides) in variants {
            progress("hllm \(variant): \(epochs) timed epochs")
            let pinned = overrides.merging(["maxEpochs": "\(epochs)", "patience": "\(epochs)"]) { a, _ in a }
            let model = try ModelRegistry.candidates(for: HLLM.modelName, overrides: pinned, itemLLM: experiment.itemLLM)[0].make()
            try model.fit(data)
            training.append(Training(variant: variant, epochs: epochs,
                                     secondsPerEpoch: (model as? HLLM)?.trainingSummary?.secondsPerEpoch ?? .nan))
        }
        return HLLMBenchmarkResult(training: training)
    }

    /// The markdown section `make bench` prints.
    func markdownSection() -> String {
        var table = MarkdownTable(header: ["variant", "epochs timed", "s / epoch"], rightAligned: [1, 2])
        table.rows = training.map { [$0.variant, "\($0.epochs)", MarkdownTable.decimal($0.secondsPerEpoch, digits: 2)] }
        return "## HLLM training on ML-100K (user model d 64, 2 blocks, max length 200, batch 128, full softmax)\n\n"
            + table.rendered()
    }
}
