import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Files that appear complete or not at all: written under a temporary name, flushed to disk
/// (`fsync`), renamed over the final name (atomic on POSIX) and the folder entry flushed too.
enum DurableFile {
    /// The temporary name used while writing `name`: hidden, so globs for parts never match it.
    static func temporaryName(for name: String) -> String { ".\(name).tmp" }

    /// A fresh, empty temporary file for `name` in `folder`, opened for writing.
    ///
    /// Opened with `open(2)`, not `FileManager.createFile`, which on Linux writes through a
    /// `.dat.nosync…` file of its own that a killed export would leave behind in the folder.
    static func create(_ name: String, in folder: URL) throws -> FileHandle {
        let url = folder.appendingPathComponent(temporaryName(for: name))
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ExportError.unwritableOutput(path: folder.path, detail: "cannot create \(url.lastPathComponent) "
                                               + "(\(String(cString: strerror(errno))))")
        }
        return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    /// Flushes and closes `handle` (from `create(name, in: folder)`) and renames it to `name`.
    static func commit(_ handle: FileHandle, as name: String, in folder: URL) throws {
        guard fsync(handle.fileDescriptor) == 0 else { throw posixError("fsync", name, in: folder) }
        try handle.close()
        let temporary = folder.appendingPathComponent(temporaryName(for: name)).path
        guard rename(temporary, folder.appendingPathComponent(name).path) == 0 else {
            throw posixError("rename", name, in: folder)
        }
        let directory = open(folder.path, O_RDONLY)
        if directory >= 0 {
            _ = fsync(directory)
            close(directory)
        }
    }

    /// Writes `data` as `name` in `folder` durably.
    static func write(_ data: Data, as name: String, in folder: URL) throws {
        let handle = try create(name, in: folder)
        try handle.write(contentsOf: data)
        try commit(handle, as: name, in: folder)
    }

    private static func posixError(_ call: String, _ name: String, in folder: URL) -> ExportError {
        .unwritableOutput(path: folder.path, detail: "\(call) of \(name) failed: \(String(cString: strerror(errno)))")
    }
}
