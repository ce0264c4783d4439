import Foundation

/// One finished run of an executable: exit status and everything it printed.
struct CommandRun {
    var status: Int32
    var standardOutput: String
    var standardError: String

    /// Runs `executable` with `arguments` to completion; output goes through temporary files so a
    /// chatty child never blocks on a full pipe.
    static func run(_ executable: URL, _ arguments: [String]) throws -> CommandRun {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("llmrec-run-\(UUID().uuidString)")
        let outputFile = scratch.appendingPathExtension("out")
        let errorFile = scratch.appendingPathExtension("err")
        for file in [outputFile, errorFile] where !FileManager.default.createFile(atPath: file.path, contents: nil) {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
        }
        defer {
            try? FileManager.default.removeItem(at: outputFile)
            try? FileManager.default.removeItem(at: errorFile)
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        process.waitUntilExit()
        return CommandRun(status: process.terminationStatus,
                          standardOutput: try String(contentsOf: outputFile, encoding: .utf8),
                          standardError: try String(contentsOf: errorFile, encoding: .utf8))
    }
}
