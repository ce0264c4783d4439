import FeatureStore
import Foundation

/// The merge check of a sharded export: are the manifests of all N shards in the folder, for one job,
/// and does every part still match its SHA-256?
public enum ExportVerifier {
    /// What a complete, verified export holds.
    public struct Result: Equatable, Sendable {
        public var shards: Int
        public var parts: Int
        public var users: Int
        public var rows: Int
    }

    /// Verifies the `shards` manifests in `folder` (and, for `lmdb` exports, the parts in `store`).
    /// - Throws: `ExportError.incomplete` naming the missing shards, `.checksumMismatch` naming the
    ///   mismatching part, `.badManifest` for a manifest that cannot be read.
    public static func verify(folder: URL, shards: Int, store: FeatureStore? = nil) throws -> Result {
        guard shards >= 1 else { throw ExportError.incomplete("--shards must be at least 1") }
        var result = Result(shards: shards, parts: 0, users: 0, rows: 0)
        var missing: [String] = []
        var jobs: Set<String> = []
        for index in 0..<shards {
            let spec = try ShardSpec(parsing: "\(index)/\(shards)")
            guard let manifest = try ExportManifest.read(from: folder.appendingPathComponent(ExportManifest.fileName(for: spec))) else {
                missing.append(spec.description)
                continue
            }
            var job = manifest.job
            job.shard = ""
            jobs.insert(job.fingerprint)
            for part in manifest.parts {
                let found = try digest(of: part, format: manifest.job.format, folder: folder, store: store, job: manifest.job)
                guard found == part.sha256 else {
                    throw ExportError.checksumMismatch(path: folder.appendingPathComponent(part.name).path,
                                                       expected: part.sha256, found: found)
                }
            }
            let users = result.users.addingReportingOverflow(manifest.users)
            let rows = result.rows.addingReportingOverflow(manifest.rows)
            guard !users.overflow, !rows.overflow else {
                throw ExportError.badManifest(path: folder.appendingPathComponent(ExportManifest.fileName(for: spec)).path,
                                              reason: "users or rows too large (the shards add up to more than \(Int.max))")
            }
            result.parts += manifest.parts.count
            result.users = users.partialValue
            result.rows = rows.partialValue
        }
        if !missing.isEmpty {
            throw ExportError.incomplete("no manifest yet for shard(s) \(missing.joined(separator: ", ")) in \(folder.path)")
        }
        if jobs.count > 1 { throw ExportError.incomplete("the shards' manifests describe different jobs") }
        return result
    }

    private static func digest(of part: PartRecord, format: ExportFormat, folder: URL, store: FeatureStore?,
                               job: ExportJobDescription) throws -> String {
        guard format == .lmdb else {
            return (try? SHA256.hexDigest(ofFileAt: folder.appendingPathComponent(part.name).path)) ?? "(missing file)"
        }
        guard let store else { throw ExportError.incomplete("an lmdb export needs --store to verify") }
        let key = StoreKey.prefix("export-parts/\(job.dataset)/\(job.model)/v\(job.modelVersion)") + StoreKey.utf8(part.name)
        let stored = try store.read { try $0.get(.users, key: key) }
        return stored.flatMap { try? JSONDecoder().decode(PartRecord.self, from: Data($0)) }?.sha256 ?? "(missing part)"
    }
}
