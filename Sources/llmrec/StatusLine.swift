import Evaluation
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Progress on standard error: rewritten in place on a terminal, one line every few seconds
/// otherwise (logs stay readable). Results go to standard output, never here.
final class StatusLine {
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private var lastPrinted = Date.distantPast
    private var dirty = false

    /// Shows `text`; on a non-terminal only if `force` or 2 s passed since the last line.
    func update(_ text: String, force: Bool = false) {
        if isTerminal {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
            dirty = true
        } else if force || Date().timeIntervalSince(lastPrinted) >= 2 {
            FileHandle.standardError.write(Data("\(text)\n".utf8))
            lastPrinted = Date()
        }
    }

    /// Ends the in-place line and prints `text` on its own line.
    func finish(_ text: String) {
        if isTerminal && dirty { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        dirty = false
        FileHandle.standardError.write(Data("\(text)\n".utf8))
    }
}

/// `1234567` -> `"1,234,567"`: the command-line tool's short name for `MarkdownTable.grouped`.
func grouped(_ value: Int) -> String {
    MarkdownTable.grouped(value)
}

/// Seconds with a sensible number of digits.
func seconds(_ value: Double) -> String {
    value < 10 ? String(format: "%.2f s", value) : String(format: "%.1f s", value)
}
