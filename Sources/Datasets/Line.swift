/// One line of a text file, without its terminator (`\n`, or `\r\n` for Windows line endings).
public struct Line {
    /// The line's bytes. Valid only inside the callback that received the line: copy what you keep.
    public let bytes: UnsafeBufferPointer<UInt8>
    /// 1-based line number in the (decompressed) file.
    public let number: Int
    /// False for a last line that ended at end of file without a newline (possibly truncated).
    public let isTerminated: Bool

    /// Wraps `bytes` as line `number`.
    public init(bytes: UnsafeBufferPointer<UInt8>, number: Int, isTerminated: Bool) {
        self.bytes = bytes
        self.number = number
        self.isTerminated = isTerminated
    }
}
