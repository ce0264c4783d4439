import Foundation

extension SimulationReport {
    /// `<reportsDirectory>/<dataset>/simulation-<a>-vs-<b>.json`.
    public func fileURL(reportsDirectory: URL) -> URL {
        reportsDirectory.appendingPathComponent(dataset, isDirectory: true)
            .appendingPathComponent("simulation-\(a.model)-vs-\(b.model).json", isDirectory: false)
    }

    /// The report as pretty-printed JSON with sorted keys and a final newline (non-finite numbers as
    /// the strings "NaN", "Infinity", "-Infinity").
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return try encoder.encode(self) + Data("\n".utf8)
    }

    /// Writes the report to `fileURL(reportsDirectory:)` atomically, creating folders; returns the file.
    @discardableResult
    public func write(to reportsDirectory: URL) throws -> URL {
        let file = fileURL(reportsDirectory: reportsDirectory)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try jsonData().write(to: file, options: .atomic)
        return file
    }
}
