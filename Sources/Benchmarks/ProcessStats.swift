import Dispatch
import Foundation

/// Peak resident memory of this process, from `/proc/self/status` (Linux).
enum PeakMemory {
    /// `VmHWM` (the high-water mark of resident memory) in bytes, or nil where /proc is missing.
    static func bytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { return nil }
        return kilobytes * 1024
    }

    /// Resets the high-water mark to the current resident size (`echo 5 > /proc/self/clear_refs`),
    /// so the next `bytes()` measures one stage; where the kernel refuses, the mark keeps counting
    /// from the start of the process (an upper bound).
    static func reset() {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return }
        try? handle.write(contentsOf: Data("5".utf8))
        try? handle.close()
    }
}

/// Monotonic wall-clock seconds around a piece of work.
enum Stopwatch {
    /// Runs `body` and returns its result with the seconds it took.
    static func time<T>(_ body: () throws -> T) rethrows -> (result: T, seconds: Double) {
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try body()
        return (result, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
}

/// Writes one progress line to standard error (results go to standard output).
func progress(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
