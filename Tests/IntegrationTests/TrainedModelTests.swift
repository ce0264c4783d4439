import FeatureStore
import Foundation
import XCTest

/// `llmrec train` saves the fitted model once; `recommend` and `export` load it in other processes
/// and never train; a missing, corrupt or stale model is one clear error line and no output.
final class TrainedModelTests: XCTestCase {
    private var llmrec: URL!
    private var directory: URL!
    private var store: String { directory.appendingPathComponent("store").path }

    override func setUpWithError() throws {
        llmrec = try TestEnvironment.llmrecExecutable()
        directory = try TestEnvironment.temporaryDirectory(for: self)
        try TestEnvironment.ingestMovieLens100K(into: store, with: llmrec)
    }

    private func run(_ arguments: [String]) throws -> CommandRun {
        try CommandRun.run(llmrec, arguments + ["--store", store])
    }

    private func registryRecord(_ model: String) throws -> Artifact {
        try XCTUnwrap(try FeatureStore(path: store, readOnly: true).latestArtifact(named: "model/ml-100k/\(model)"))
    }

    func testSASRecTrainedOnceIsServedWithoutTraining() throws {
        let train = try run(["train", "--model", "sasrec", "--set", "maxEpochs=3", "--set", "dim=16"])
        XCTAssertEqual(train.status, 0, train.standardError)
        let record = try registryRecord("sasrec")
        let file = URL(fileURLWithPath: store).appendingPathComponent(try XCTUnwrap(record.path))
        XCTAssertEqual(try SHA256.hexDigest(ofFileAt: file.path), record.metadata["sha256"])
        XCTAssertEqual(record.metadata["datasetVersion"], "1")

        let start = Date()
        let first = try run(["recommend", "42", "--model", "sasrec", "-k", "5"])
        let seconds = Date().timeIntervalSince(start)
        XCTAssertEqual(first.status, 0, first.standardError)
        XCTAssertLessThan(seconds, 20, "recommend must load the saved model, not train (took \(seconds) s)")
        let second = try run(["recommend", "42", "--model", "sasrec", "-k", "5"])
        XCTAssertEqual(second.standardOutput, first.standardOutput, "two loads of one file give the same list and scores")

        let listing = try run(["models", "--dataset", "ml-100k"])
        XCTAssertEqual(listing.status, 0, listing.standardError)
        XCTAssertTrue(listing.standardOutput.contains("| sasrec | 1 |"), listing.standardOutput)
    }

    func testExportManifestCarriesTheModelChecksum() throws {
        XCTAssertEqual(try run(["train", "--model", "ease", "--set", "l2=300"]).status, 0)
        let out = directory.appendingPathComponent("export")
        let export = try run(["export", "--model", "ease", "-k", "5", "--out", out.path])
        XCTAssertEqual(export.status, 0, export.standardError)
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("manifest-0-of-1.json")))
        let job = try XCTUnwrap((manifest as? [String: Any])?["job"] as? [String: Any])
        XCTAssertEqual(job["modelSHA256"] as? String, try registryRecord("ease").metadata["sha256"])
    }

    func testMissingCorruptAndStaleModelsAreOneLineErrorsAndWriteNothing() throws {
        let notTrained = try run(["recommend", "1", "--model", "ease"])
        XCTAssertTrue(notTrained.standardError.contains("no trained ease for ml-100k"), notTrained.standardError)

        XCTAssertEqual(try run(["train", "--model", "ease", "--set", "l2=300"]).status, 0)
        let file = URL(fileURLWithPath: store).appendingPathComponent(try XCTUnwrap(try registryRecord("ease").path))
        let original = try Data(contentsOf: file)
        let out = directory.appendingPathComponent("never")
        func assertRefused(_ fragment: String, line: UInt = #line) throws {
            for arguments in [["recommend", "1", "--model", "ease"], ["export", "--model", "ease", "-k", "5", "--out", out.path]] {
                let refused = try run(arguments)
                XCTAssertNotEqual(refused.status, 0, line: line)
                let errors = refused.standardError.split(separator: "\n").filter { $0.hasPrefix("Error:") }
                XCTAssertEqual(errors.count, 1, refused.standardError, line: line)
                XCTAssertTrue(errors.first?.contains(fragment) == true, refused.standardError, line: line)
                XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "a refused export wrote output", line: line)
            }
        }

        var flipped = original
        flipped[flipped.count / 2] ^= 0x01
        try flipped.write(to: file)
        try assertRefused("does not match the SHA-256 recorded when it was trained")
        try FileManager.default.removeItem(at: file)
        try assertRefused("the saved ease model is missing")
        try original.write(to: file)

        // A new version of the data set (same interactions, another filter description).
        let reingest = try run(["ingest", try TestEnvironment.movieLens100K(), "--name", "ml-100k", "--min-rating", "1"])
        XCTAssertEqual(reingest.status, 0, reingest.standardError)
        try assertRefused("was fit on ml-100k v1, the store now holds v2")
        let stale = try run(["recommend", "1", "--model", "ease", "--allow-stale-model"])
        XCTAssertEqual(stale.status, 0, stale.standardError)
        XCTAssertTrue(stale.standardError.contains("--allow-stale-model"), stale.standardError)
        XCTAssertTrue(try run(["models", "--dataset", "ml-100k"]).standardOutput.contains("stale"))
    }
}
