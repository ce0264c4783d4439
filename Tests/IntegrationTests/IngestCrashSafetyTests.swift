import Datasets
import FeatureStore
import Foundation
import XCTest

/// An ingest killed with SIGKILL at any point leaves the store exactly as it was: the whole data set
/// is written in one LMDB transaction, so a kill before the commit leaves no trace.
final class IngestCrashSafetyTests: XCTestCase {
    func testKilledIngestLeavesTheStoreUnchanged() throws {
        let llmrec = try TestEnvironment.llmrecExecutable()
        let directory = try TestEnvironment.temporaryDirectory(for: self)
        let storePath = directory.appendingPathComponent("store").path
        let bigCSV = directory.appendingPathComponent("ratings.csv").path
        try MovieLensCSVGenerator(lineCount: 1_500_000, seed: 7).write(to: bigCSV)

        // The state a kill must preserve: ML-100K already ingested.
        let first = try CommandRun.run(llmrec, ["ingest", try TestEnvironment.movieLens100K(), "--name", "ml-100k",
                                                "--store", storePath])
        XCTAssertEqual(first.status, 0, first.standardError)
        let before = try StoreSnapshot(of: FeatureStore(path: storePath, readOnly: true))

        // Time one full ingest into a scratch store, then kill real ones at fractions of that time.
        let scratchStore = directory.appendingPathComponent("scratch").path
        let clock = Date()
        let timed = try CommandRun.run(llmrec, ["ingest", bigCSV, "--name", "big", "--store", scratchStore])
        XCTAssertEqual(timed.status, 0, timed.standardError)
        let fullSeconds = Date().timeIntervalSince(clock)

        for fraction in [0.05, 0.3, 0.6, 0.8, 0.9, 0.95, 0.99] {
            let process = Process()
            process.executableURL = llmrec
            process.arguments = ["ingest", bigCSV, "--name", "big", "--store", storePath]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(useconds_t(fullSeconds * fraction * 1e6))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            guard process.terminationReason == .uncaughtSignal else { continue }  // finished before the kill

            let store = try FeatureStore(path: storePath, readOnly: true)
            XCTAssertEqual(try StoreSnapshot(of: store), before, "store changed after a kill at \(fraction) of the run")
            XCTAssertEqual(try store.datasetNames(), ["ml-100k"])
        }

        // The store still works for writers after all those kills.
        let final = try CommandRun.run(llmrec, ["ingest", bigCSV, "--name", "big", "--store", storePath])
        XCTAssertEqual(final.status, 0, final.standardError)
        let store = try FeatureStore(path: storePath, readOnly: true)
        XCTAssertEqual(try store.datasetNames().sorted(), ["big", "ml-100k"])
        XCTAssertEqual(try store.datasetMetadata(named: "big")?.interactionCount, 1_500_000)
    }

    func testReingestingTheSameFilesChangesNothing() throws {
        let llmrec = try TestEnvironment.llmrecExecutable()
        let storePath = try TestEnvironment.temporaryDirectory(for: self).appendingPathComponent("store").path
        let arguments = ["ingest", try TestEnvironment.movieLens100K(), "--name", "ml-100k", "--store", storePath]
        XCTAssertEqual(try CommandRun.run(llmrec, arguments).status, 0)
        let before = try StoreSnapshot(of: FeatureStore(path: storePath, readOnly: true))
        let again = try CommandRun.run(llmrec, arguments)
        XCTAssertEqual(again.status, 0)
        XCTAssertTrue(again.standardOutput.contains("nothing changed"), again.standardOutput)
        XCTAssertEqual(try StoreSnapshot(of: FeatureStore(path: storePath, readOnly: true)), before)
    }
}
