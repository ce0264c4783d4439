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
    private let gzip: GzipChild?

    /// Opens `path`; `.gz` files are decompressed on the fly by `gzip -dc`.
    init(path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw DatasetError(file: path, reason: "no such file (expected a readable data file)")
        }
        guard (info.st_mode & S_IFMT) != S_IFDIR else {
            throw DatasetError(file: path, reason: "expected a file, found a directory")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw DatasetError(file: path, reason: "cannot open for reading (\(String(cString: strerror(errno))))")
        }
        self.path = path
        self.fileSize = Int(info.st_size)
        self.fileFD = fd
        guard path.hasSuffix(".gz") else {
            (readFD, gzip) = (fd, nil)
            return
        }
        do {
            let child = try GzipChild(input: fd)
            (readFD, gzip) = (child.output, child)
        } catch let error as GzipChild.StartError {
            close(fd)
            throw DatasetError(file: path, reason: "cannot start gzip -dc (\(error.reason))")
        }
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
        let failure = gzipFailure(of: gzip)
        gzip.close()
        if let failure { throw failure }
    }

    /// For `.gz` input whose reading stopped early on a bad line: whether the compressed data is to
    /// blame. Reads on, discarding, up to `limit` decompressed bytes; when the decompressed stream
    /// ends there and gzip failed, returns that failure to report instead (the text was cut short
    /// or damaged by the compression layer), else nil. A bad line followed by more than `limit`
    /// bytes is reported as a bad line even if the data is also damaged later.
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
        return gzipFailure(of: gzip)
    }

    /// Waits for gzip; the error for a failure (gzip's first stderr line in parentheses), or nil.
    private func gzipFailure(of gzip: GzipChild) -> DatasetError? {
        let status = gzip.waitForExit()
        guard status != .exited(0) else { return nil }
        var message = gzip.firstErrorLine()
        for prefix in ["gzip: stdin: ", "gzip: "] where message.hasPrefix(prefix) {
            message = String(message.dropFirst(prefix.count))
            break
        }
        if message.isEmpty {
            switch status {
            case .exited(let code): message = "exit status \(code)"
            case .signaled(let signal): message = "killed by signal \(signal)"
            }
        }
        return DatasetError(file: path, reason: "compressed data is truncated or corrupt (gzip: \(message))")
    }

    /// Closes the file when reading stopped early, stopping gzip if it still runs.
    func abandon() {
        gzip?.terminate()
        gzip?.close()
        close(fileFD)
    }
}

/// A `gzip -dc` child started with `posix_spawn`, its stdin the data file, its stdout and stderr
/// pipes read here.
///
/// Not Foundation's `Process`: on Linux it leaked about 3 KB and one descriptor per run (found by
/// fuzzing the `.gz` path), reads past a buffer while scanning `/proc/self/fd`, and waits for exit
/// by polling a run loop in 50 ms steps. The child is always reaped, at the latest on `deinit`.
private final class GzipChild {
    struct StartError: Error {
        let reason: String
    }

    /// How the child ended.
    enum Status: Equatable {
        case exited(Int32)
        case signaled(Int32)
    }

    /// Read end of the child's stdout (the decompressed bytes).
    let output: Int32
    private let errors: Int32
    private let pid: pid_t
    private var status: Status?
    private var isClosed = false

    /// Starts `gzip -dc` (found on `PATH`) reading `input`.
    init(input: Int32) throws {
        var outputPipe: [Int32] = [-1, -1], errorPipe: [Int32] = [-1, -1]
        guard pipe(&outputPipe) == 0 else { throw StartError(reason: String(cString: strerror(errno))) }
        guard pipe(&errorPipe) == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(outputPipe[0]); Glibc.close(outputPipe[1])
            throw StartError(reason: reason)
        }
        // No other child may inherit these (a writer left open would hide the end of the output).
        for fd in outputPipe + errorPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // dup2 clears close-on-exec on the copies, so the child keeps exactly stdin, stdout, stderr.
        posix_spawn_file_actions_adddup2(&actions, input, 0)
        posix_spawn_file_actions_adddup2(&actions, outputPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errorPipe[1], 2)
        let arguments = ["gzip", "-dc"].map { $0.withCString(strdup) } + [nil]
        defer { arguments.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, "gzip", &actions, nil, arguments, environ)
        Glibc.close(outputPipe[1])
        Glibc.close(errorPipe[1])
        guard result == 0 else {
            Glibc.close(outputPipe[0]); Glibc.close(errorPipe[0])
            throw StartError(reason: String(cString: strerror(result)))
        }
        self.pid = pid
        self.output = outputPipe[0]
        self.errors = errorPipe[0]
    }

    deinit {
        terminate()
        close()
    }

    /// Waits for the child to end (once; later calls return the same status).
    @discardableResult
    func waitForExit() -> Status {
        if let status { return status }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) == -1 {
            guard errno == EINTR else {
                status = .exited(-1)  // not our child any more (reaped elsewhere): treat as failed
                return status!
            }
        }
        let signal = raw & 0x7F
        status = signal == 0 ? .exited((raw >> 8) & 0xFF) : .signaled(signal)
        return status!
    }

    /// Stops the child if it still runs, and reaps it.
    func terminate() {
        guard status == nil else { return }
        kill(pid, SIGTERM)
        waitForExit()
    }

    /// The first non-empty line gzip wrote to stderr (after it ended), or "".
    func firstErrorLine() -> String {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 1 << 16 {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(errors, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += chunk[..<count]
        }
        return String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
    }

    /// Closes this process's ends of both pipes (once).
    func close() {
        guard !isClosed else { return }
        isClosed = true
        Glibc.close(output)
        Glibc.close(errors)
    }
}
