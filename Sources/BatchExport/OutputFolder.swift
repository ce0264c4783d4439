import Foundation

/// The output folder's checks before anything is written.
public enum OutputFolder {
    /// Creates `folder` if missing and checks that files can be created in it; on failure removes
    /// what it created and throws `ExportError.unwritableOutput` (one line, naming the folder).
    public static func prepare(_ folder: URL) throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        let existed = manager.fileExists(atPath: folder.path, isDirectory: &isDirectory)
        if existed && !isDirectory.boolValue {
            throw ExportError.unwritableOutput(path: folder.path, detail: "it is a file, not a folder")
        }
        do {
            if !existed { try manager.createDirectory(at: folder, withIntermediateDirectories: true) }
        } catch {
            throw ExportError.unwritableOutput(path: folder.path, detail: "cannot create it (\((error as NSError).localizedDescription))")
        }
        let probe = folder.appendingPathComponent(".llmrec-write-probe-\(ProcessInfo.processInfo.processIdentifier)")
        // open(2), not FileManager.createFile, which writes through a temporary file of its own.
        let descriptor = open(probe.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            if !existed { try? manager.removeItem(at: folder) }
            throw ExportError.unwritableOutput(path: folder.path, detail: "permission denied")
        }
        close(descriptor)
        unlink(probe.path)
    }
}
