import Foundation

/// The files of one data set: the interactions file (required) and optional side information.
struct DatasetFiles {
    var interactions: String
    var items: String?
    var users: String?

    /// Every file, interactions first.
    var all: [String] { [interactions] + [items, users].compactMap { $0 } }
}

extension DatasetFormat {
    /// The files to read for `path`: the file itself, or for a directory the format's files in it.
    func files(at path: String) throws -> DatasetFiles {
        guard FileSystemEntry.isDirectory(path) else {
            guard FileManager.default.fileExists(atPath: path) else {
                throw DatasetError(file: path, reason: "no such file or directory (expected a data file or a directory of them)")
            }
            return DatasetFiles(interactions: path)
        }
        let directory = FileSystemEntry(directory: path)
        switch self {
        case .movielens100k:
            return DatasetFiles(interactions: try directory.required("u.data", role: "MovieLens 100K ratings file"),
                                items: directory.optional("u.item"), users: directory.optional("u.user"))
        case .movielens1m:
            return DatasetFiles(interactions: try directory.required("ratings.dat", role: "MovieLens 1M/10M ratings file"),
                                items: directory.optional("movies.dat"), users: directory.optional("users.dat"))
        case .movielensCSV:
            return DatasetFiles(interactions: try directory.required("ratings.csv", role: "MovieLens ratings file"),
                                items: directory.optional("movies.csv"))
        case .recbole:
            let interactions = try directory.single(role: "RecBole interactions file (*.inter)") { $0.hasSuffix(".inter") }
            let stem = String(((interactions as NSString).lastPathComponent).dropLast(".inter".count))
            return DatasetFiles(interactions: interactions, items: directory.optional(stem + ".item"),
                                users: directory.optional(stem + ".user"))
        case .lcRec:
            let suffixes = [".inter.json", ".inter.json.gz"]
            let interactions = try directory.single(role: "LC-Rec interactions file (*.inter.json)") { name in
                suffixes.contains { name.hasSuffix($0) }
            }
            let name = (interactions as NSString).lastPathComponent
            let stem = String(name.dropLast(suffixes.first { name.hasSuffix($0) }!.count))
            return DatasetFiles(interactions: interactions, items: directory.optional(stem + ".item.json"))
        case .amazon2014, .amazon2018, .amazon2023:
            let isJSON: (String) -> Bool = { name in
                [".json", ".jsonl", ".json.gz", ".jsonl.gz"].contains { name.hasSuffix($0) }
            }
            let reviews = try directory.single(role: "Amazon reviews file (*.json, *.jsonl, optionally .gz, not meta_*)") {
                isJSON($0) && !$0.hasPrefix("meta_")
            }
            let meta = directory.names.filter { isJSON($0) && $0.hasPrefix("meta_") }
            guard meta.count <= 1 else {
                throw DatasetError(file: path, reason: "expected at most one Amazon meta file (meta_*), found \(meta.count): \(meta.joined(separator: ", "))")
            }
            return DatasetFiles(interactions: reviews, items: meta.first.map { directory.path(of: $0) })
        }
    }
}

/// A directory's plain-file names, and lookups that accept a `.gz` twin of any name.
struct FileSystemEntry {
    let directory: String
    /// Names of the entries in the directory, sorted.
    let names: [String]

    /// Lists `directory`.
    init(directory: String) {
        self.directory = directory
        self.names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    /// Whether `path` names a directory.
    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// `directory/name`.
    func path(of name: String) -> String { (directory as NSString).appendingPathComponent(name) }

    /// The path of `name` or `name.gz`, if present.
    func optional(_ name: String) -> String? {
        [name, name + ".gz"].first(where: names.contains).map(path(of:))
    }

    /// The path of `name` or `name.gz`; throws when neither exists.
    func required(_ name: String, role: String) throws -> String {
        guard let found = optional(name) else {
            throw DatasetError(file: directory, reason: "expected \(name) (the \(role)) in the directory, not found")
        }
        return found
    }

    /// The path of the one entry matching `isMatch`; throws when there is none or more than one.
    func single(role: String, where isMatch: (String) -> Bool) throws -> String {
        let matches = names.filter(isMatch)
        guard matches.count == 1 else {
            throw DatasetError(file: directory, reason: "expected one \(role) in the directory, found \(matches.count)\(matches.isEmpty ? "" : ": " + matches.joined(separator: ", "))")
        }
        return path(of: matches[0])
    }
}
