import Evaluation
import Foundation

/// A small report for `model`, with per-user NDCG@10 `ndcgPerUser` for users `0..<count` and its mean
/// as the test NDCG@10.
func makeReport(model: String, dataset: String = "tiny", ndcgPerUser: [Double], fitSeconds: Double = 1.5) -> EvaluationReport {
    let mean = ndcgPerUser.reduce(0, +) / Double(ndcgPerUser.count)
    let hits = ndcgPerUser.map { $0 > 0 ? 1.0 : 0.0 }
    return EvaluationReport(
        model: model, dataset: dataset, protocolName: "leave-one-out",
        config: ["factors": "64", "regularization": "0.01"],
        grid: [
            .init(config: ["factors": "64", "regularization": "0.01"], validationMetrics: ["NDCG@10": mean + 0.01, "HR@10": 0.5]),
            .init(config: ["factors": "32", "regularization": "0.1"], validationMetrics: ["NDCG@10": mean - 0.01, "HR@10": 0.4]),
        ],
        validationMetrics: ["NDCG@10": mean + 0.01, "HR@10": 0.5, "NDCG@5": 0.2, "HR@5": 0.3, "Recall@5": 0.3,
                            "Recall@10": 0.5, "MRR": 0.25],
        testMetrics: ["NDCG@10": mean, "HR@10": hits.reduce(0, +) / Double(hits.count), "NDCG@5": 0.19, "HR@5": 0.28,
                      "Recall@5": 0.28, "Recall@10": 0.45, "MRR": 0.24],
        testCoverage: ["Coverage@5": 0.1, "Coverage@10": 0.2],
        testBuckets: [HistoryBucketMetrics(label: "0-9", minHistoryLength: 0, maxHistoryLength: 9, userCount: 3,
                                           metrics: ["HR@10": 0.5, "NDCG@10": 0.25, "MRR": 0.2])],
        perUserTest: .init(users: ndcgPerUser.indices.map(Int32.init), values: ["NDCG@10": ndcgPerUser, "HR@10": hits]),
        timings: ["fit": fitSeconds, "validation": 0.25, "test": 0.5, "total": fitSeconds + 0.75],
        counts: ["users": ndcgPerUser.count, "items": 100],
        createdAt: Date(timeIntervalSince1970: 1_700_000_000))
}
