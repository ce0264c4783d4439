import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An open data file as a readable file descriptor: the file itself, or for `.gz` the stdout of a
/// `gzip -dc` process that reads the file through its stdin (no temporary copy).
///
/// The gzip child shares the file's open file description, so the file offset seen here is how many
/// compressed bytes gzip has consumed: that is what progress reports use.
struct InputFile {
    let path: String
    /// Size of the file on disk, in bytes.
    let fileSize: Int
    /// Where the (decompressed) bytes come from.
    let readFD: Int32
    private let fileFD: Int32
    private let gzip: Process?
    private let gzipErrors: Pipe?
    private let gzipOutput: Pipe?

    /// Opens `path`; `.gz` files are decompressed on the fly by `gzip -dc`.
    init(path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw DatasetError(file: path, reason: "no such file (expected a readable data file)")
        }
        guard (info.st_mode & S_IFMT) != S_IFDIR else {
            throw DatasetError(file: path, reason: "expected a file, found a directory")
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw DatasetError(file: path, reason: "cannot open for reading (\(String(cString: strerror(errno))))")
        }
        self.path = path
        self.fileSize = Int(info.st_size)
        self.fileFD = fd
        guard path.hasSuffix(".gz") else {
            (readFD, gzip, gzipErrors, gzipOutput) = (fd, nil, nil, nil)
            return
        }
        let process = Process()
        let output = Pipe()
        let errors = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc"]
        process.standardInput = FileHandle(fileDescriptor: fd, closeOnDealloc: false)
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            close(fd)
            throw DatasetError(file: path, reason: "cannot start gzip -dc (\(error))")
        }
        (readFD, gzip, gzipErrors, gzipOutput) = (output.fileHandleForReading.fileDescriptor, process, errors, output)
    }

    /// Compressed (on-disk) bytes consumed so far.
    var bytesConsumed: Int { Int(lseek(fileFD, 0, SEEK_CUR)) }

    /// Reads up to `count` bytes into `buffer`; 0 at end of input.
    func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        while true {
            let n = Glibc.read(readFD, buffer, count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw DatasetError(file: path, reason: "read failed (\(String(cString: strerror(errno))))")
        }
    }

    /// Closes the file after the whole input was read; throws when gzip reported a failure.
    func finish() throws {
        defer { close(fileFD) }
        guard let gzip, let gzipErrors, let gzipOutput else { return }
        gzip.waitUntilExit()
        try? gzipOutput.fileHandleForReading.close()
        let message = String(decoding: gzipErrors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        guard gzip.terminationStatus == 0 else {
            throw DatasetError(file: path, reason: "gzip -dc failed with exit status \(gzip.terminationStatus): \(message)")
        }
    }

    /// Closes the file when reading stopped early, stopping gzip if it still runs.
    func abandon() {
        if let gzip {
            if gzip.isRunning { gzip.terminate() }
            try? gzipOutput?.fileHandleForReading.close()
            gzip.waitUntilExit()
        }
        close(fileFD)
    }
}
