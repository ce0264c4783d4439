import Datasets
import FeatureStore
import Foundation
import XCTest

/// An ingest killed with SIGKILL at any point leaves the store either exactly as it was or, when the
/// kill lands after the commit, exactly as a completed ingest leaves it: the whole data set is
/// written in one LMDB transaction, so nothing in between can ever be seen.
final class IngestCrashSafetyTests: XCTestCase {
    func testKilledIngestLeavesTheStoreAsBeforeOrAsAfterNeverInBetween() throws {
        let llmrec = try TestEnvironment.llmrecExecutable()
        let directory = try TestEnvironment.temporaryDirectory(for: self)
        let bigCSV = directory.appendingPathComponent("ratings.csv").path
        try MovieLensCSVGenerator(lineCount: 1_500_000, seed: 7).write(to: bigCSV)

        // The state a kill must preserve: ML-100K already ingested.
        let beforeStore = directory.appendingPathComponent("before")
        let first = try CommandRun.run(llmrec, ["ingest", try TestEnvironment.movieLens100K(), "--name", "ml-100k",
                                                "--store", beforeStore.path])
        XCTAssertEqual(first.status, 0, first.standardError)
        let before = try StoreSnapshot(of: FeatureStore(path: beforeStore.path, readOnly: true))

        // The state a completed ingest leaves, timed, on a copy.
        let afterStore = directory.appendingPathComponent("after")
        try FileManager.default.copyItem(at: beforeStore, to: afterStore)
        let clock = Date()
        let complete = try CommandRun.run(llmrec, ["ingest", bigCSV, "--name", "big", "--store", afterStore.path])
        XCTAssertEqual(complete.status, 0, complete.standardError)
        let fullSeconds = Date().timeIntervalSince(clock)
        // A completed ingest's metadata records when it ran; everything else must match exactly.
        let after = try CompletedIngest(store: FeatureStore(path: afterStore.path, readOnly: true))

        var killedBeforeCommit = 0
        for (attempt, fraction) in [0.05, 0.3, 0.6, 0.8, 0.9, 0.95, 0.99].enumerated() {
            let store = directory.appendingPathComponent("killed-\(attempt)")
            try FileManager.default.copyItem(at: beforeStore, to: store)
            let process = Process()
            process.executableURL = llmrec
            process.arguments = ["ingest", bigCSV, "--name", "big", "--store", store.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(useconds_t(fullSeconds * fraction * 1e6))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            guard process.terminationReason == .uncaughtSignal else { continue }  // finished before the kill

            let killed = try FeatureStore(path: store.path, readOnly: true)
            let snapshot = try StoreSnapshot(of: killed)
            let isAfter = try CompletedIngest(store: killed) == after
            XCTAssertTrue(snapshot == before || isAfter,
                          "a kill at \(fraction) of the run left the store in between: \(snapshot.entryCounts)")
            if snapshot == before {
                killedBeforeCommit += 1
                // The store still works for writers after the kill.
                let rerun = try CommandRun.run(llmrec, ["ingest", bigCSV, "--name", "big", "--store", store.path])
                XCTAssertEqual(rerun.status, 0, rerun.standardError)
                XCTAssertEqual(try CompletedIngest(store: killed), after)  // one environment per path per process
            }
            try FileManager.default.removeItem(at: store)
        }
        XCTAssertGreaterThan(killedBeforeCommit, 0, "no kill landed inside the ingest: the test proved nothing")
    }

    /// What a completed ingest of "big" leaves: every table but the metadata byte for byte, and the
    /// metadata without its time stamp.
    private struct CompletedIngest: Equatable {
        var contents: StoreSnapshot
        var metadata: DatasetMetadata?

        init(store: FeatureStore) throws {
            contents = try StoreSnapshot(of: store, excluding: [.datasets])
            metadata = try store.datasetMetadata(named: "big")
            metadata?.ingestedAt = .distantPast
        }
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
