// Shared by every fuzz harness under Tests/Fuzz (compiled into each one by scripts/fuzz.sh; not a
// SwiftPM target). A harness defines `LLVMFuzzerTestOneInput`, turns the bytes into the files or
// buffer its reader takes, runs the reader, and calls `violation` (which aborts, so libFuzzer
// records the input) when the reader breaks its contract: it must return a value or throw its
// module's error type, described in one line.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Splits fuzz inputs into the files a reader takes.
enum FuzzInput {
    /// Separates the files packed into one input (ASCII record separator; never in the fixtures).
    static let fileSeparator: UInt8 = 0x1E

    /// The input bytes.
    static func bytes(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
        Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// `bytes` cut at every `fileSeparator`, at most `maxParts` parts (the last keeps any further
    /// separators).
    static func files(_ bytes: ArraySlice<UInt8>, maxParts: Int) -> [ArraySlice<UInt8>] {
        bytes.split(separator: fileSeparator, maxSplits: maxParts - 1, omittingEmptySubsequences: false)
    }
}

/// One directory per harness process for the files of an input: on `/dev/shm` where it exists, so
/// writing an input costs no disk I/O. Removed at exit.
final class ScratchDirectory {
    /// The directory's path.
    let path: String

    /// A fresh directory named after `target`.
    init(_ target: String) {
        let base = ProcessInfo.processInfo.environment["FUZZ_SCRATCH"]
            ?? (access("/dev/shm", W_OK) == 0 ? "/dev/shm" : NSTemporaryDirectory())
        path = "\(base)/llmrec-fuzz-\(target)-\(getpid())"
        try? FileManager.default.removeItem(atPath: path)
        guard (try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)) != nil else {
            fatalError("cannot create the scratch directory \(path)")
        }
        ScratchDirectory.created.append(path)
        if ScratchDirectory.created.count == 1 { atexit { ScratchDirectory.removeAll() } }
    }

    nonisolated(unsafe) private static var created: [String] = []

    private static func removeAll() {
        for path in created { try? FileManager.default.removeItem(atPath: path) }
    }

    /// A subdirectory `name`, created if missing, emptied of the files `names` (so an input that has
    /// fewer files than the last one leaves none of the last one's behind).
    func directory(_ name: String, removing names: [String]) -> String {
        let directory = "\(path)/\(name)"
        mkdir(directory, 0o755)
        for file in names { unlink("\(directory)/\(file)") }
        return directory
    }

    /// Subdirectory `name` holding the files of `bytes` (separated as `FuzzInput.files` reads them)
    /// under `names` in order, and none of `names` beyond them; returns its path.
    func directory(_ name: String, files bytes: ArraySlice<UInt8>, names: [String]) -> String {
        let directory = directory(name, removing: names)
        for (file, fileName) in zip(FuzzInput.files(bytes, maxParts: names.count), names) {
            write(file, to: directory, as: fileName)
        }
        return directory
    }

    /// Writes `bytes` to `directory/name` (replacing it) and returns the path.
    @discardableResult
    func write<Bytes: Collection>(_ bytes: Bytes, to directory: String, as name: String) -> String where Bytes.Element == UInt8 {
        let file = "\(directory)/\(name)"
        let fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { fatalError("cannot write \(file): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let array = Array(bytes)
        array.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                guard written > 0 else { fatalError("cannot write \(file): \(String(cString: strerror(errno)))") }
                offset += written
            }
        }
        return file
    }
}

/// Reports a broken contract and aborts, so libFuzzer saves the input as a crash.
func violation(_ message: String) -> Never {
    FileHandle.standardError.write(Data("contract violation: \(message)\n".utf8))
    abort()
}

/// Checks that `error` is one of `types` and that its description is one non-empty line.
func expectError(_ error: Error, isOneOf types: [Any.Type], context: @autoclosure () -> String) {
    guard types.contains(where: { type(of: error) == $0 }) else {
        violation("\(context()): threw \(type(of: error)) (\(error)), expected one of \(types)")
    }
    let text = String(describing: error)
    guard !text.isEmpty, !text.contains("\n") else {
        violation("\(context()): error description is not one line: \(String(reflecting: text))")
    }
}
