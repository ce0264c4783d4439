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
    public static func read(from url: URL) throws -> ExportManifest? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(ExportManifest.self, from: Data(contentsOf: url))
    }
}
