import Foundation

extension DatasetFormat {
    /// Guesses the format of a file or directory from file names (a `*.inter.json` file: LC-Rec),
    /// then from the first line of an Amazon JSON file (`parent_asin`: 2023; a Python dict or
    /// `"helpful"`: 2014; else 2018).
    public static func detect(path: String) throws -> DatasetFormat {
        let names: [String]
        if FileSystemEntry.isDirectory(path) {
            names = FileSystemEntry(directory: path).names
        } else {
            guard FileManager.default.fileExists(atPath: path) else {
                throw DatasetError(file: path, reason: "no such file or directory (expected a data file or a directory of them)")
            }
            names = [(path as NSString).lastPathComponent]
        }
        let plainNames = names.map { $0.hasSuffix(".gz") ? String($0.dropLast(3)) : $0 }
        if plainNames.contains("u.data") { return .movielens100k }
        if plainNames.contains(where: { $0.hasSuffix(".dat") }) { return .movielens1m }
        if plainNames.contains(where: { $0.hasSuffix(".csv") }) { return .movielensCSV }
        if plainNames.contains(where: { $0.hasSuffix(".inter") }) { return .recbole }
        if plainNames.contains(where: { $0.hasSuffix(".inter.json") }) { return .lcRec }
        let jsonFiles = zip(names, plainNames).filter { $0.1.hasSuffix(".json") || $0.1.hasSuffix(".jsonl") }.map(\.0)
        guard !jsonFiles.isEmpty else {
            throw DatasetError(file: path, reason: "cannot detect the data set format: expected u.data, *.dat, *.csv, *.inter, LC-Rec *.inter.json or Amazon *.json/*.jsonl files; pass the format explicitly")
        }
        let directory = FileSystemEntry.isDirectory(path) ? path : (path as NSString).deletingLastPathComponent
        let firstLines = try jsonFiles.map { try firstLine(of: (directory as NSString).appendingPathComponent($0)) }
        if firstLines.contains(where: { $0.contains("\"parent_asin\"") }) { return .amazon2023 }
        if firstLines.contains(where: { $0.hasPrefix("{'") || $0.contains("\"helpful\"") }) { return .amazon2014 }
        return .amazon2018
    }

    /// The first line of `path` (decompressed), or "" for an empty file.
    private static func firstLine(of path: String) throws -> String {
        struct StopReading: Error {}
        var first = ""
        do {
            try LineReader(path: path, bufferSize: 1 << 16).forEachLine { line in
                first = String(decoding: line.bytes, as: UTF8.self)
                throw StopReading()
            }
        } catch is StopReading {}
        return first
    }
}
