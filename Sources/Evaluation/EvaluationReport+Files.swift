import Foundation

extension EvaluationReport {
    /// The folder of `dataset`'s reports: `<reportsDirectory>/<dataset>`, with every character
    /// outside `A-Z a-z 0-9 . _ - +` replaced by `_` (so `ml-100k+cold-start` keeps its name).
    /// Writers and readers (the leaderboard) both go through it.
    public static func datasetDirectory(reportsDirectory: URL, dataset: String) -> URL {
        reportsDirectory.appendingPathComponent(fileSafe(dataset), isDirectory: true)
    }

    /// The report file of the run `runName` (`EvaluationReport.runName`) on `dataset`:
    /// `<datasetDirectory>/<runName>.json`, the name made file-safe as in `datasetDirectory`.
    public static func fileURL(reportsDirectory: URL, dataset: String, runName: String) -> URL {
        datasetDirectory(reportsDirectory: reportsDirectory, dataset: dataset)
            .appendingPathComponent(fileSafe(runName) + ".json", isDirectory: false)
    }

    /// Writes the report to `reports/<dataset>/<runName>.json` under `reportsDirectory` as pretty-printed
    /// JSON with sorted keys, creating folders as needed; the file is written to a temporary file and
    /// renamed into place, so readers never see half a report. Returns the file written.
    @discardableResult
    public func write(to reportsDirectory: URL) throws -> URL {
        let file = Self.fileURL(reportsDirectory: reportsDirectory, dataset: dataset, runName: runName)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try jsonData().write(to: file, options: .atomic)
        return file
    }

    /// The report as the file `write(to:)` writes: pretty-printed JSON, sorted keys, final newline.
    public func jsonData() throws -> Data {
        var data = try Self.encoder.encode(self)
        data.append(contentsOf: Array("\n".utf8))
        return data
    }

    /// Reads a report written by `write(to:)`.
    public static func load(from file: URL) throws -> EvaluationReport {
        try decoder.decode(EvaluationReport.self, from: Data(contentsOf: file))
    }

    /// Every run's report in one dataset's folder, `reports/<dataset>/`, sorted by run name:
    /// the `*.json` files whose top-level object names a `model` (other reports share the folder,
    /// e.g. `semantic-ids.json`, the semantic-ID quality report).
    public static func loadAll(datasetDirectory: URL) throws -> [EvaluationReport] {
        struct Kind: Decodable { var model: String? }
        return try FileManager.default.contentsOfDirectory(at: datasetDirectory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .filter { try JSONDecoder().decode(Kind.self, from: Data(contentsOf: $0)).model != nil }
            .map(load(from:))
            .sorted { $0.runName < $1.runName }
    }

    private static func fileSafe(_ name: String) -> String {
        String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-+".contains($0)) ? $0 : "_" })
    }

    /// ISO 8601 dates; non-finite numbers as the strings "NaN", "Infinity", "-Infinity".
    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return encoder
    }

    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return decoder
    }
}
