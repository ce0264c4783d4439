import Foundation

extension SHA256 {
    /// The digest of the file at `path`, read in 1 MiB chunks (constant memory for any size).
    ///
    /// - Throws: the file-system error naming the file when it cannot be opened or read.
    public static func hash(fileAt path: String) throws -> [UInt8] {
        let file = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? file.close() }
        var hasher = SHA256()
        while let chunk = try file.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(chunk)
        }
        return hasher.finalize()
    }

    /// The digest of the file at `path` as 64 lowercase hexadecimal characters.
    public static func hexDigest(ofFileAt path: String) throws -> String {
        hex(try hash(fileAt: path))
    }
}
