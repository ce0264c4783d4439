import FeatureStore
import Foundation

/// The last file a shard writes (`manifest-<i>-of-<N>.json`): every part with its users, rows and
/// SHA-256, the job (model artefact version, data set version, K, shard...) and the times. Its
/// presence means the shard is complete.
public struct ExportManifest: Codable, Equatable, Sendable {
    /// What was exported.
    public var job: ExportJobDescription
    /// `job.fingerprint`.
    public var fingerprint: String
    /// Parts in order.
    public var parts: [PartRecord]
    /// Users and rows over all parts.
    public var users: Int
    public var rows: Int
    /// When the run that completed this shard started and finished (a resumed run: its own times).
    public var startedAt: Date
    public var finishedAt: Date

    /// The manifest file name of `shard`.
    public static func fileName(for shard: ShardSpec) -> String { "manifest-\(shard.index)-of-\(shard.count).json" }

    /// Pretty JSON with sorted keys and ISO 8601 times.
    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self)
    }

    /// The manifest in `url`, or nil when there is no file.
    /// - Throws: `ExportError.badManifest` (one line naming the file and the first problem) for a
    ///   file that cannot be read, is not a manifest's JSON, has a negative count or names a part
    ///   that is not a plain file name (a part is always read from the manifest's own folder).
    public static func read(from url: URL) throws -> ExportManifest? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ExportError.badManifest(path: url.path, reason: "cannot be read (\(error.localizedDescription))")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let manifest: ExportManifest
        do {
            manifest = try decoder.decode(ExportManifest.self, from: data)
        } catch let error as DecodingError {
            throw ExportError.badManifest(path: url.path, reason: Self.describe(error))
        } catch {
            throw ExportError.badManifest(path: url.path, reason: "\(error)")
        }
        if let problem = manifest.problem {
            throw ExportError.badManifest(path: url.path, reason: problem)
        }
        return manifest
    }

    /// The first value no export writes, or nil: negative counts, part names that are not file names.
    private var problem: String? {
        if users < 0 || rows < 0 { return "negative users or rows (\(users), \(rows))" }
        for part in parts {
            if part.users < 0 || part.rows < 0 || part.bytes < 0 {
                return "part \(String(reflecting: part.name)) has negative users, rows or bytes"
            }
            if part.name.isEmpty || part.name == "." || part.name == ".." || part.name.contains("/") || part.name.contains("\0") {
                return "part name \(String(reflecting: part.name)) is not a file name (expected part-<i>-of-<N>-<n>)"
            }
        }
        return nil
    }

    /// A decoding error in one line: the field's path and what was wrong.
    private static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [CodingKey]) -> String {
            let text = codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.hasPrefix(".") ? String(text.dropFirst()) : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing field \(path(context.codingPath + [key]))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let field = path(context.codingPath)
            let detail = context.underlyingError.map { "\(context.debugDescription) (\($0.localizedDescription))" } ?? context.debugDescription
            return field.isEmpty ? detail : "\(field): \(detail)"
        @unknown default:
            return "\(error)"
        }
    }
}
