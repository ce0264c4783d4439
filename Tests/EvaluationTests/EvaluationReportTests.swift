import Datasets
import Evaluation
import XCTest

final class EvaluationReportTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("evaluation-tests-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func testJSONRoundTripThroughTheReportsFolder() throws {
        let report = makeReport(model: "ease", ndcgPerUser: [0.5, 0, 1, 0.25])
        let file = try report.write(to: directory)
        XCTAssertEqual(file.path, directory.appendingPathComponent("tiny/ease.json").path)
        XCTAssertEqual(try EvaluationReport.load(from: file), report)

        let text = try String(contentsOf: file, encoding: .utf8)
        XCTAssert(text.contains("\"protocol\" : \"leave-one-out\""), "protocol key")
        XCTAssert(text.contains("\"createdAt\" : \"2023-11-14T22:13:20Z\""), "ISO 8601 date")
        XCTAssert(text.contains("\"NDCG@10\""))
        let keys = text.split(separator: "\n").filter { $0.hasPrefix("  \"") }.map { $0.split(separator: "\"")[1] }
        XCTAssertEqual(keys, keys.sorted(), "sorted top-level keys")
    }

    func testLoadAllReadsEveryReportOfADataset() throws {
        try makeReport(model: "sasrec", ndcgPerUser: [0.5, 0.5]).write(to: directory)
        try makeReport(model: "ease", ndcgPerUser: [0.1, 0.2]).write(to: directory)
        try makeReport(model: "ease", ndcgPerUser: [0.3, 0.2]).write(to: directory)  // replaces the first
        try makeReport(model: "mostpop", dataset: "other", ndcgPerUser: [0.1, 0.1]).write(to: directory)
        // Another kind of report in the same folder (the semantic-ID quality report) is not a model's.
        try Data(#"{"dataset": "tiny", "codeSets": []}"#.utf8)
            .write(to: directory.appendingPathComponent("tiny/semantic-ids.json"))
        let reports = try EvaluationReport.loadAll(datasetDirectory: directory.appendingPathComponent("tiny"))
        XCTAssertEqual(reports.map(\.model), ["ease", "sasrec"])
        XCTAssertEqual(reports[0].perUserTest.values["NDCG@10"], [0.3, 0.2])
    }

    func testFileNamesAreMadeSafe() {
        let url = EvaluationReport.fileURL(reportsDirectory: URL(fileURLWithPath: "/r"), dataset: "ml/100k", runName: "item knn")
        XCTAssertEqual(url.path, "/r/ml_100k/item_knn.json")
        let cold = EvaluationReport.fileURL(reportsDirectory: URL(fileURLWithPath: "/r"), dataset: "ml-100k+cold-start",
                                            runName: "hllm.text-only")
        XCTAssertEqual(cold.path, "/r/ml-100k+cold-start/hllm.text-only.json")
    }

    func testTaggedRunsAreFiledAndNamedApart() throws {
        var report = makeReport(model: "hllm", ndcgPerUser: [0.3, 0.2])
        XCTAssertEqual(report.runName, "hllm")
        report.tag = "text-only"
        XCTAssertEqual(report.runName, "hllm.text-only")
        try makeReport(model: "hllm", ndcgPerUser: [0.1, 0.1]).write(to: directory)
        try report.write(to: directory)
        let reports = try EvaluationReport.loadAll(datasetDirectory: directory.appendingPathComponent("tiny"))
        XCTAssertEqual(reports.map(\.runName), ["hllm", "hllm.text-only"])
        XCTAssertEqual(reports[1].tag, "text-only")
        XCTAssertEqual(Leaderboard(reports: reports).entries.map(\.model), ["hllm.text-only", "hllm"])
    }

    func testReportFromEvaluationResults() throws {
        let scorer = TableScorer(numItems: 4, rows: [0: [0.4, 0.3, 0.2, 0.1], 1: [0.1, 0.2, 0.3, 0.4]])
        let cases = [EvaluationCase(user: 0, history: [0], targets: [1]), EvaluationCase(user: 1, history: [], targets: [0])]
        let result = try Evaluator(options: EvaluationOptions(cutoffs: [1, 10])).evaluate(scorer, on: cases)
        let report = EvaluationReport(model: "table", dataset: "tiny", protocolName: "leave-one-out", config: [:], grid: [],
                                      validation: result, test: result, timings: ["fit": 0], counts: [:])
        XCTAssertEqual(report.testMetrics, result.metrics)
        XCTAssertEqual(report.perUserTest.users, [0, 1])
        XCTAssertEqual(report.perUserTest.values["NDCG@10"], [1, 1 / log2(5.0)])
        XCTAssertEqual(report.perUserTest.values["HR@10"], [1, 1])
        XCTAssertEqual(report.cutoffs, [1, 10])
    }

    func testPairedValuesAlignByUser() throws {
        var first = makeReport(model: "a", ndcgPerUser: [0.1, 0.2, 0.3])
        first.perUserTest = .init(users: [5, 3, 9], values: ["NDCG@10": [0.1, 0.2, 0.3]])
        var second = makeReport(model: "b", ndcgPerUser: [0])
        second.perUserTest = .init(users: [9, 5, 7], values: ["NDCG@10": [0.9, 0.5, 0.7]])
        let pairs = try XCTUnwrap(first.pairedTestValues(with: second, metric: "NDCG@10"))
        XCTAssertEqual(pairs.own, [0.1, 0.3])  // users 5, 9
        XCTAssertEqual(pairs.other, [0.5, 0.9])
        XCTAssertNil(first.pairedTestValues(with: second, metric: "HR@10"))
    }

    func testMarkdownShowsConfigMetricsBucketsAndGrid() throws {
        let markdown = makeReport(model: "ials", ndcgPerUser: [0.5, 0.25]).markdown()
        XCTAssert(markdown.hasPrefix("# ials on tiny (leave-one-out)\n"))
        XCTAssert(markdown.contains("| factors | 64 |"))
        XCTAssert(markdown.contains("| NDCG@10 | 0.3850 | 0.3750 |"))
        XCTAssert(markdown.contains("| Coverage@10 | – | 0.2000 |"))
        XCTAssert(markdown.contains("| 0-9 | 3 | 0.5000 | 0.2500 | 0.2000 |"))
        XCTAssert(markdown.contains("| factors=64, regularization=0.01 | 0.3850 | 0.5000 | – | yes |"))
        XCTAssert(markdown.contains("| fit | 1.50 |"))
        let hr5 = markdown.range(of: "| HR@5 |")!.lowerBound, hr10 = markdown.range(of: "| HR@10 |")!.lowerBound
        XCTAssert(hr5 < hr10, "cutoffs in ascending order")
        XCTAssertFalse(markdown.contains("target popularity"), "no section without the buckets")

        var report = makeReport(model: "ials", ndcgPerUser: [0.5, 0.25])
        report.testTargetPopularity = [TargetPopularityBucket(label: "80+", minInteractions: 80, maxInteractions: nil, userCount: 2,
                                                              metrics: ["HR@10": 1, "NDCG@10": 0.375, "MRR": 0.3])]
        let withBuckets = report.markdown()
        XCTAssert(withBuckets.contains("## Test metrics by target popularity\n\n| target interactions | users | HR@10 | NDCG@10 | MRR |"))
        XCTAssert(withBuckets.contains("| 80+ | 2 | 1.0000 | 0.3750 | 0.3000 |\n\n## Configurations tried"))
        XCTAssertEqual(try EvaluationReport.load(from: report.write(to: directory)), report)
    }
}
