import Foundation
import SeededRandom
import XCTest

/// `llmrec export` as a user runs it, on EASE trained on MovieLens-100K: SIGKILL at random points and
/// rerun gives the bytes of an uninterrupted run; shards together are the unsharded export; bad
/// input is a one-line error that leaves no output behind.
final class ExportJobTests: XCTestCase {
    private var llmrec: URL!
    private var directory: URL!
    private var store: String { directory.appendingPathComponent("store").path }

    override func setUpWithError() throws {
        llmrec = try TestEnvironment.llmrecExecutable()
        directory = try TestEnvironment.temporaryDirectory(for: self)
        try TestEnvironment.ingestMovieLens100K(into: store, with: llmrec)
        let train = try CommandRun.run(llmrec, ["train", "--model", "ease", "--set", "l2=300", "--store", store])
        XCTAssertEqual(train.status, 0, train.standardError)
    }

    private func export(_ out: String, _ extra: [String] = []) -> [String] {
        ["export", "--model", "ease", "-k", "20", "--out", directory.appendingPathComponent(out).path,
         "--store", store, "--part-size", "10", "--block-size", "2"] + extra
    }

    /// File name -> contents of every file in the output folder (none when a kill came before the
    /// folder was created).
    private func output(_ out: String) throws -> [String: Data] {
        let folder = directory.appendingPathComponent(out)
        var files: [String: Data] = [:]
        guard FileManager.default.fileExists(atPath: folder.path) else { return files }
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            files[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return files
    }

    /// The manifest's `parts` array as sorted-key JSON.
    private func manifestParts(_ data: Data?) throws -> Data {
        let object = try JSONSerialization.jsonObject(with: XCTUnwrap(data)) as? [String: Any]
        return try JSONSerialization.data(withJSONObject: XCTUnwrap(object?["parts"]), options: .sortedKeys)
    }

    func testKilledExportsRerunToTheUninterruptedBytes() throws {
        let clock = Date()
        let reference = try CommandRun.run(llmrec, export("reference"))
        let fullSeconds = Date().timeIntervalSince(clock)
        XCTAssertEqual(reference.status, 0, reference.standardError)
        let expected = try output("reference")
        XCTAssertEqual(expected.keys.filter { $0.hasPrefix("part-") }.count, 95)

        var random = SplitMix64(seed: 2026)
        var kills = 0
        for (attempt, fraction) in [0.5, 0.65, 0.75, 0.85, 0.92, 0.97].enumerated() {
            let process = Process()
            process.executableURL = llmrec
            process.arguments = export("killed")
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // At a random point past loading and fitting (about half of a run), mid-export.
            usleep(useconds_t(fullSeconds * (fraction + Double.random(in: -0.04...0.02, using: &random)) * 1e6))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if process.terminationReason == .uncaughtSignal { kills += 1 }
            let files = try output("killed")
            for (name, data) in files where name.hasPrefix("part-") {
                XCTAssertEqual(data, expected[name], "attempt \(attempt): \(name) is visible but differs")
            }
        }
        let rerun = try CommandRun.run(llmrec, export("killed"))
        XCTAssertEqual(rerun.status, 0, rerun.standardError)
        let finished = try output("killed")
        XCTAssertEqual(Set(finished.keys), Set(expected.keys))
        for (name, data) in expected where name.hasPrefix("part-") { XCTAssertEqual(finished[name], data, name) }
        XCTAssertEqual(try manifestParts(finished["manifest-0-of-1.json"]), try manifestParts(expected["manifest-0-of-1.json"]))
        let verify = try CommandRun.run(llmrec, ["export", "--verify", "--out", directory.appendingPathComponent("killed").path])
        XCTAssertEqual(verify.status, 0, verify.standardError)
        print("export kill test: \(kills) of 6 runs killed before finishing")
    }

    func testShardsTogetherAreTheUnshardedExport() throws {
        XCTAssertEqual(try CommandRun.run(llmrec, export("whole")).status, 0)
        for index in 0..<3 {
            let run = try CommandRun.run(llmrec, export("sharded", ["--shard", "\(index)/3"]))
            XCTAssertEqual(run.status, 0, run.standardError)
        }
        func rows(_ out: String) throws -> [Substring] {
            try output(out).filter { $0.key.hasPrefix("part-") }.values
                .flatMap { String(decoding: $0, as: UTF8.self).split(separator: "\n") }.sorted()
        }
        let whole = try rows("whole")
        XCTAssertEqual(whole.count, 943)
        XCTAssertEqual(try rows("sharded"), whole)
        let verify = try CommandRun.run(llmrec, ["export", "--verify", "--shards", "3", "--out",
                                                 directory.appendingPathComponent("sharded").path])
        XCTAssertEqual(verify.status, 0, verify.standardError)
        XCTAssertTrue(verify.standardOutput.contains("943 users"), verify.standardOutput)
    }

    func testBadInputIsAOneLineErrorAndLeavesNoOutput() throws {
        // A folder below a regular file cannot be created (a read-only folder would not do: tests may run as root).
        XCTAssertTrue(FileManager.default.createFile(atPath: directory.appendingPathComponent("file").path, contents: Data()))
        func swapping(_ arguments: [String], _ old: String, _ new: String) -> [String] { arguments.map { $0 == old ? new : $0 } }
        let cases: [(arguments: [String], message: String, out: String)] = [
            (swapping(export("a"), "ease", "nosuchmodel"), "unknown model", "a"),
            (export("b", ["--dataset", "nosuchdata"]), "nosuchdata", "b"),
            (swapping(export("c"), "20", "5000"), "catalogue has 1682 items", "c"),
            (export("file/d"), "cannot write the output folder", "file/d"),
            (export("e", ["--shard", "3/2"]), "bad --shard '3/2'", "e"),
        ]
        for (arguments, message, out) in cases {
            let run = try CommandRun.run(llmrec, arguments)
            XCTAssertNotEqual(run.status, 0, arguments.joined(separator: " "))
            let lines = run.standardError.split(separator: "\n")
            XCTAssertEqual(lines.count, 1, run.standardError)
            XCTAssertTrue(run.standardError.contains(message), "expected '\(message)' in: \(run.standardError)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent(out).path), out)
        }
    }
}
