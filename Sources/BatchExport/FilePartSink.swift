import FeatureStore
import Foundation

/// Parts as files in the output folder: written as `.<name>.tmp`, fsync'd, renamed to `<name>`, then
/// a sidecar `.<name>.record` (the `PartRecord`, also durable) lets a rerun reuse the part after
/// checking its SHA-256 (also after the manifest is lost).
final class FilePartSink: PartSink {
    private let folder: URL
    private let header: [UInt8]
    private var current: (name: String, handle: FileHandle, hasher: SHA256, rows: Int, bytes: Int)?

    /// A sink writing into `folder` (which exists), starting every part with `header`.
    init(folder: URL, header: [UInt8]) {
        self.folder = folder
        self.header = header
    }

    static func sidecarName(for name: String) -> String { ".\(name).record" }

    func removeLeftovers() throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path)
        where name.hasPrefix(".part-") && name.hasSuffix(".tmp") || name.hasPrefix(".manifest-") && name.hasSuffix(".tmp") {
            try FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }

    func finishedRecord(of name: String, users: ArraySlice<Int32>, fingerprint: String) throws -> PartRecord? {
        let sidecar = folder.appendingPathComponent(Self.sidecarName(for: name))
        guard let data = try? Data(contentsOf: sidecar),
              let record = try? JSONDecoder().decode(PartRecord.self, from: data),
              record.fingerprint == fingerprint, record.name == name, try matches(record, users: users)
        else { return nil }
        return record
    }

    func matches(_ record: PartRecord, users: ArraySlice<Int32>) throws -> Bool {
        (try? SHA256.hexDigest(ofFileAt: folder.appendingPathComponent(record.name).path)) == record.sha256
    }

    func begin(_ name: String) throws {
        let handle = try DurableFile.create(name, in: folder)
        var hasher = SHA256()
        hasher.update(header)
        try handle.write(contentsOf: header)
        current = (name, handle, hasher, 0, header.count)
    }

    func append(_ block: FormattedBlock) throws {
        try current!.handle.write(contentsOf: block.bytes)
        current!.hasher.update(block.bytes)
        current!.rows += block.rowCount
        current!.bytes += block.bytes.count
    }

    func finish(users: Int, fingerprint: String) throws -> PartRecord {
        let part = current!
        current = nil
        try DurableFile.commit(part.handle, as: part.name, in: folder)
        let record = PartRecord(name: part.name, users: users, rows: part.rows, bytes: part.bytes,
                                sha256: part.hasher.finalizeHex(), fingerprint: fingerprint)
        try DurableFile.write(JSONEncoder().encode(record), as: Self.sidecarName(for: part.name), in: folder)
        return record
    }
}
