#if canImport(Glibc)
import Glibc
#endif

/// Streams the lines of a text file (or a `.gz` file through `gzip -dc`) as byte slices.
///
/// Reads with `read(2)` into one buffer (1 MiB by default, doubled only for a longer line), so
/// memory stays bounded whatever the file size and no `String` is allocated per line.
public final class LineReader {
    /// The path given to `init`.
    public let path: String
    /// Size of the file on disk in bytes (compressed size for `.gz`).
    public let fileSize: Int
    private let input: InputFile
    private let bufferSize: Int

    /// How far past a bad line a `.gz` file is decompressed to see whether gzip fails (then that
    /// failure is the error): 4 MiB of text, a few milliseconds.
    static let drainLimit = 4 << 20

    /// Opens `path`. Throws `DatasetError` for a missing file or a directory.
    public init(path: String, bufferSize: Int = 1 << 20) throws {
        precondition(bufferSize > 0, "buffer size must be positive")
        self.input = try InputFile(path: path)
        self.path = path
        self.fileSize = input.fileSize
        self.bufferSize = bufferSize
    }

    /// On-disk bytes consumed so far (compressed bytes for `.gz`).
    public var bytesConsumed: Int { input.bytesConsumed }

    /// Calls `body` for every line, in order, then closes the file. Can be called once.
    ///
    /// `afterRead` runs once per `read(2)` (about once per MiB), after `body` has seen every complete
    /// line of that read: the place for progress reports, so that `bytesConsumed` and the lines seen
    /// agree (only an unfinished line at the end of the read is consumed but not yet passed on). It
    /// does not run for the read that finds the end of input.
    /// A `\r` before `\n` is dropped. A last line without `\n` is passed with `isTerminated == false`.
    /// Throws what `body` throws, read errors, and a gzip failure (`file.gz: compressed data is
    /// truncated or corrupt (gzip: ...)`, no line number), also in place of what `body` threw when
    /// gzip fails within `drainLimit` decompressed bytes after it.
    public func forEachLine(afterRead: () -> Void = {}, _ body: (Line) throws -> Void) throws {
        var capacity = bufferSize
        var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        var start = 0, end = 0, lineNumber = 0
        do {
            while true {
                if start > 0 {
                    memmove(buffer, buffer + start, end - start)
                    end -= start
                    start = 0
                }
                if end == capacity {
                    let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
                    larger.update(from: buffer, count: end)
                    buffer.deallocate()
                    buffer = larger
                    capacity *= 2
                }
                let count = try input.read(into: buffer + end, count: capacity - end)
                if count == 0 { break }
                end += count
                while let newline = memchr(buffer + start, Int32(UInt8(ascii: "\n")), end - start) {
                    let lineEnd = buffer.distance(to: newline.assumingMemoryBound(to: UInt8.self))
                    let contentEnd = lineEnd > start && buffer[lineEnd - 1] == UInt8(ascii: "\r") ? lineEnd - 1 : lineEnd
                    lineNumber += 1
                    try body(Line(bytes: UnsafeBufferPointer(start: buffer + start, count: contentEnd - start),
                                  number: lineNumber, isTerminated: true))
                    start = lineEnd + 1
                }
                afterRead()
            }
            if end > start {
                let contentEnd = buffer[end - 1] == UInt8(ascii: "\r") ? end - 1 : end
                lineNumber += 1
                try body(Line(bytes: UnsafeBufferPointer(start: buffer + start, count: contentEnd - start),
                              number: lineNumber, isTerminated: false))
            }
        } catch {
            // Text cut short or garbled by damaged `.gz` data fails to parse first: report the
            // compressed data rather than its symptom (gzip only fails once its input ends).
            let failure = input.compressedDataFailure(drainingUpTo: Self.drainLimit)
            input.abandon()
            throw failure ?? error
        }
        try input.finish()
    }
}
