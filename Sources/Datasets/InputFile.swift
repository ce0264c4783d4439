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

    /// Closes the file after the whole input was read; throws when gzip reported a failure
    /// (`file.gz: compressed data is truncated or corrupt (gzip: ...)`).
    func finish() throws {
        defer { close(fileFD) }
        guard let gzip else { return }
        waitForExit(gzip)
        let failure = gzipFailure(of: gzip)
        closePipes()
        if let failure { throw failure }
    }

    /// For `.gz` input whose reading stopped early on `error` (a bad line): whether the compressed
    /// data is to blame. Reads on, discarding, up to `limit` decompressed bytes; when the
    /// decompressed stream ends there and gzip failed, returns that failure to report instead (the
    /// text was cut short or damaged by the compression layer), else nil. A bad line followed by
    /// more than `limit` bytes is reported as a bad line even if the data is also damaged later.
    func compressedDataFailure(drainingUpTo limit: Int) -> DatasetError? {
        guard let gzip else { return nil }
        var drained = 0
        let chunk = 1 << 16
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: chunk)
        defer { buffer.deallocate() }
        while drained <= limit {
            let count = Glibc.read(readFD, buffer, chunk)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            drained += count
        }
        guard drained <= limit else { return nil }
        waitForExit(gzip)
        return gzipFailure(of: gzip)
    }

    /// Waits for `process` to end. Foundation's `waitUntilExit` polls a run loop in 50 ms steps
    /// (about 40 ms per `.gz` file here); gzip has usually ended already when this is called.
    private func waitForExit(_ process: Process) {
        while process.isRunning { usleep(100) }
    }

    /// The error for a gzip child that exited with a failure (gzip's first stderr line in
    /// parentheses), or nil when it succeeded.
    private func gzipFailure(of gzip: Process) -> DatasetError? {
        guard gzip.terminationReason != .exit || gzip.terminationStatus != 0 else { return nil }
        let stderr = gzipErrors.map { String(decoding: $0.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) } ?? ""
        var message = stderr.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        for prefix in ["gzip: stdin: ", "gzip: "] where message.hasPrefix(prefix) {
            message = String(message.dropFirst(prefix.count))
            break
        }
        if message.isEmpty {
            message = gzip.terminationReason == .exit ? "exit status \(gzip.terminationStatus)" : "killed by signal \(gzip.terminationStatus)"
        }
        return DatasetError(file: path, reason: "compressed data is truncated or corrupt (gzip: \(message))")
    }

    /// Closes the file when reading stopped early, stopping gzip if it still runs.
    func abandon() {
        if let gzip {
            if gzip.isRunning { gzip.terminate() }
            closePipes()
            waitForExit(gzip)
        }
        close(fileFD)
    }

    /// Closes this process's ends of gzip's output and error pipes. Foundation does not close them
    /// when the `Pipe`s go away: each `.gz` file read leaked a descriptor until the process ran out.
    private func closePipes() {
        try? gzipOutput?.fileHandleForReading.close()
        try? gzipErrors?.fileHandleForReading.close()
    }
}
