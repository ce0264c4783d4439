import Datasets
import FeatureStore
import Foundation
import SeededRandom
import XCTest

final class DatasetStoreTests: XCTestCase {
    func testRoundTripAcrossSeveralChunksWithUnicodeRecords() throws {
        let store = try FeatureStore(path: storeDirectory())
        let dataset = randomDataset(name: "ml-ünï", seed: 1, users: 300, items: 120, interactions: 150_000)
        XCTAssertEqual(try store.saveDataset(dataset, metadata: metadata(for: dataset, checksum: "aa")), .stored(version: 1))
        assertEqual(try store.loadDataset(named: "ml-ünï"), dataset)

        let stored = try XCTUnwrap(try store.datasetMetadata(named: "ml-ünï"))
        XCTAssertEqual(stored.version, 1)
        XCTAssertEqual([stored.userCount, stored.itemCount, stored.interactionCount], [300, 120, 150_000],
                       "the store sets the counts from the data")
        XCTAssertEqual(stored.sourceFiles, metadata(for: dataset, checksum: "aa").sourceFiles)
        XCTAssertEqual(try store.read { try $0.count(in: .interactions, withPrefix: StoreKey.prefix("ml-ünï")) }, 3,
                       "150,000 interactions = 2 full chunks of 65,536 + 1 partial")
    }

    func testDatasetWithoutSideInformationLoadsWithEmptyRecords() throws {
        let store = try FeatureStore(path: storeDirectory())
        var dataset = randomDataset(name: "bare", seed: 2, users: 5, items: 4, interactions: 20)
        dataset.items = []
        dataset.users = []
        _ = try store.saveDataset(dataset, metadata: metadata(for: dataset, checksum: nil))
        let loaded = try store.loadDataset(named: "bare")
        XCTAssertEqual(loaded.items, [])
        XCTAssertEqual(loaded.users, [])
        assertEqual(loaded, dataset)
    }

    /// The stored bytes follow the documented layout (values worked out by hand).
    func testStoredBytesFollowTheDocumentedLayout() throws {
        let store = try FeatureStore(path: storeDirectory())
        let dataset = InteractionDataset(
            name: "t", userIDs: ["u"], itemIDs: ["i1"], items: [ItemRecord(rawID: "i1", fields: ["title": "Ä"])],
            users: [], interactions: [Interaction(user: 0, item: 0, rating: 4.5, timestamp: 0x0102_0304_0506_0708)])
        _ = try store.saveDataset(dataset, metadata: metadata(for: dataset, checksum: nil))
        try store.read { txn in
            XCTAssertEqual(try txn.get(.interactions, key: [0x74, 0, 0, 0, 0, 0]),
                           [0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x90, 0x40, 8, 7, 6, 5, 4, 3, 2, 1])
            XCTAssertEqual(try txn.get(.items, key: [0x74, 0, 0, 0, 0, 0]),
                           [1, 2, 0, 0, 0, 0x69, 0x31, 1, 0, 0, 0, 5, 0, 0, 0, 0x74, 0x69, 0x74, 0x6C, 0x65, 2, 0, 0, 0, 0xC3, 0x84])
            XCTAssertEqual(try txn.get(.users, key: [0x74, 0, 0, 0, 0, 0]), [0, 1, 0, 0, 0, 0x75])
            XCTAssertNotNil(try txn.get(.datasets, key: [0x74, 0]))
        }
    }

    func testResavingTheSameSourceFilesWritesNothing() throws {
        let store = try FeatureStore(path: storeDirectory())
        let dataset = randomDataset(name: "ml", seed: 3, users: 20, items: 10, interactions: 200)
        let first = metadata(for: dataset, checksum: "abc")
        XCTAssertEqual(try store.saveDataset(dataset, metadata: first), .stored(version: 1))
        var again = first
        again.ingestedAt = first.ingestedAt.addingTimeInterval(3_600)
        again.sourceFiles[0].path = "/elsewhere/ratings.csv"
        XCTAssertEqual(try store.saveDataset(dataset, metadata: again), .unchanged(version: 1))
        XCTAssertEqual(try store.datasetMetadata(named: "ml")?.ingestedAt, first.ingestedAt, "nothing was rewritten")

        var refiltered = first
        refiltered.filters = ["5-core"]
        XCTAssertEqual(try store.saveDataset(dataset, metadata: refiltered), .stored(version: 2), "other filters are new data")
        let generated = metadata(for: dataset, checksum: nil)
        XCTAssertEqual(try store.saveDataset(dataset, metadata: generated), .stored(version: 3),
                       "data without source files is always stored")
        XCTAssertEqual(try store.saveDataset(dataset, metadata: generated), .stored(version: 4))
    }

    func testResavingSmallerDataReplacesEveryOldKey() throws {
        let store = try FeatureStore(path: storeDirectory())
        let neighbour = randomDataset(name: "ml-1m", seed: 4, users: 7, items: 9, interactions: 70_000)
        let large = randomDataset(name: "ml", seed: 5, users: 50, items: 40, interactions: 140_000)
        let small = randomDataset(name: "ml", seed: 6, users: 8, items: 6, interactions: 1_000)
        _ = try store.saveDataset(neighbour, metadata: metadata(for: neighbour, checksum: "n"))
        XCTAssertEqual(try store.saveDataset(large, metadata: metadata(for: large, checksum: "1")), .stored(version: 1))
        XCTAssertEqual(try store.saveDataset(small, metadata: metadata(for: small, checksum: "2")), .stored(version: 2))

        assertEqual(try store.loadDataset(named: "ml"), small)
        assertEqual(try store.loadDataset(named: "ml-1m"), neighbour)
        try store.read { txn in
            let prefix = StoreKey.prefix("ml")
            XCTAssertEqual(try txn.count(in: .interactions, withPrefix: prefix), 1, "no leftover chunks")
            XCTAssertEqual(try txn.count(in: .items, withPrefix: prefix), 6)
            XCTAssertEqual(try txn.count(in: .users, withPrefix: prefix), 8)
            XCTAssertEqual(try txn.count(in: .interactions), 1 + 2, "ml-1m keeps its two chunks")
        }
        XCTAssertEqual(try store.datasetMetadata(named: "ml")?.version, 2)
    }

    /// Data sets saved in random name order (appending or inserting into each table) all load back.
    func testManyDatasetsSavedInRandomOrderAllLoadBack() throws {
        let store = try FeatureStore(path: storeDirectory())
        var random = SplitMix64(seed: 9)
        var expected: [String: InteractionDataset] = [:]
        for round in 0..<12 {
            let name = ["c", "a", "b", "a-b", "d", "ab"].randomElement(using: &random)!
            let dataset = randomDataset(name: name, seed: UInt64(100 + round), users: Int.random(in: 1...30, using: &random),
                                        items: Int.random(in: 1...30, using: &random),
                                        interactions: Int.random(in: 0...3_000, using: &random))
            _ = try store.saveDataset(dataset, metadata: metadata(for: dataset, checksum: nil))
            expected[name] = dataset
        }
        XCTAssertEqual(try store.datasetNames(), expected.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        for (name, dataset) in expected {
            assertEqual(try store.loadDataset(named: name), dataset)
        }
    }

    func testLoadingAMissingDatasetNamesTheStoredOnes() throws {
        let path = storeDirectory()
        let store = try FeatureStore(path: path)
        let empty = thrownDatasetStoreError { _ = try store.loadDataset(named: "ml-100k") }
        XCTAssertEqual(empty, .notFound(name: "ml-100k", storePath: path, available: []))
        for name in ["b", "a"] {
            let dataset = randomDataset(name: name, seed: 7, users: 2, items: 2, interactions: 3)
            _ = try store.saveDataset(dataset, metadata: metadata(for: dataset, checksum: nil))
        }
        let missing = thrownDatasetStoreError { _ = try store.loadDataset(named: "ml-100k") }
        XCTAssertEqual(missing?.description,
                       "no data set named \"ml-100k\" in store at \(path); stored data sets: a, b")
        XCTAssertNil(try store.datasetMetadata(named: "ml-100k"))
    }

    func testInvalidDatasetsAreRejectedBeforeWriting() throws {
        let store = try FeatureStore(path: storeDirectory())
        let valid = randomDataset(name: "ml", seed: 8, users: 4, items: 3, interactions: 10)
        _ = try store.saveDataset(valid, metadata: metadata(for: valid, checksum: nil))

        var outOfRange = valid
        outOfRange.interactions[6].item = 3
        var misaligned = valid
        misaligned.items.swapAt(0, 1)
        var badName = valid
        badName.name = "m\u{0}l"
        let cases: [(InteractionDataset, String, String)] = [
            (outOfRange, "ml", "interaction 6 has user \(valid.interactions[6].user) and item 3, but there are 4 users and 3 items"),
            (misaligned, "ml", "items must be empty or describe itemIDs one to one, in order"),
            (badName, "m\u{0}l", "names are 1 to 400 UTF-8 bytes without NUL"),
            (valid, "other", "its metadata is named \"other\""),
        ]
        for (dataset, metadataName, reason) in cases {
            var described = metadata(for: dataset, checksum: nil)
            described.name = metadataName
            let error = thrownDatasetStoreError { _ = try store.saveDataset(dataset, metadata: described) }
            XCTAssertEqual(error, .invalidDataset(name: dataset.name, reason: reason))
        }
        XCTAssertEqual(try store.datasetNames(), ["ml"])
        assertEqual(try store.loadDataset(named: "ml"), valid)
        XCTAssertEqual(try store.datasetMetadata(named: "ml")?.version, 1)
    }

    func testMissingChunkIsReportedAsDamage() throws {
        let path = storeDirectory()
        let store = try FeatureStore(path: path)
        let dataset = randomDataset(name: "ml", seed: 10, users: 3, items: 3, interactions: 70_000)
        _ = try store.saveDataset(dataset, metadata: metadata(for: dataset, checksum: nil))
        try store.write { _ = try $0.delete(.interactions, key: StoreKey.prefix("ml") + StoreKey.bigEndian(UInt32(0))) }
        let error = thrownDatasetStoreError { _ = try store.loadDataset(named: "ml") }
        XCTAssertEqual(error, .corrupt(name: "ml", storePath: path, detail: "interaction chunk 0 is missing or malformed"))
    }

    func testSourceFileDescriptionMeasuresAndHashesTheFile() throws {
        let directory = storeDirectory()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/abc.txt"
        try Data("abc".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(try DatasetMetadata.SourceFile(describingFileAt: path),
                       .init(path: path, bytes: 3, sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))
    }

    /// MovieLens-100K parsed from the repository's RecBole files survives the store unchanged, and
    /// ingesting the same files again (same checksums) writes nothing.
    func testMovieLens100KRoundTripAndIdempotentResave() throws {
        let directory = try movieLens100KDirectory()
        let parsed = try loadDataset(at: directory, format: .recbole, name: "ml-100k").dataset
        let sourceFiles = try ["inter", "item", "user"].map {
            try DatasetMetadata.SourceFile(describingFileAt: "\(directory)/ml-100k.\($0)")
        }
        var described = metadata(for: parsed, checksum: nil)
        described.sourceFiles = sourceFiles
        described.format = DatasetFormat.recbole.rawValue

        let store = try FeatureStore(path: storeDirectory())
        XCTAssertEqual(try store.saveDataset(parsed, metadata: described), .stored(version: 1))
        let loaded = try store.loadDataset(named: "ml-100k")
        assertEqual(loaded, parsed)
        XCTAssertEqual([loaded.numUsers, loaded.numItems, loaded.interactions.count], [943, 1_682, 100_000])
        XCTAssertEqual(try store.saveDataset(parsed, metadata: described), .unchanged(version: 1))
        XCTAssertEqual(try store.datasetMetadata(named: "ml-100k")?.sourceFiles, sourceFiles)
    }

    // MARK: - Helpers

    /// `Data/ml-100k` at the repository root; fails (pointing at `make setup`) when it is missing.
    private func movieLens100KDirectory() throws -> String {
        var root = URL(fileURLWithPath: #filePath)
        while root.path != "/", !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
            root.deleteLastPathComponent()
        }
        let directory = root.appendingPathComponent("Data/ml-100k").path
        guard FileManager.default.fileExists(atPath: directory + "/ml-100k.inter") else {
            XCTFail("MovieLens-100K is missing from \(directory): run `make setup`")
            throw XCTSkip("no data")
        }
        return directory
    }

    private func storeDirectory() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("llmrec-dataset-store-\(UUID().uuidString)").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    /// Metadata with one source file of checksum `checksum` (none when nil).
    private func metadata(for dataset: InteractionDataset, checksum: String?) -> DatasetMetadata {
        DatasetMetadata(name: dataset.name, version: 0, format: "synthetic",
                        sourceFiles: checksum.map { [.init(path: "/data/ratings.csv", bytes: 42, sha256: $0)] } ?? [],
                        filters: [], userCount: 0, itemCount: 0, interactionCount: 0, skippedLines: 1,
                        ingestedAt: Date(timeIntervalSince1970: 1_700_000_000.25))
    }

    /// A seeded random data set with unicode side information for every user and item.
    private func randomDataset(name: String, seed: UInt64, users: Int, items: Int, interactions: Int) -> InteractionDataset {
        var random = SplitMix64(seed: seed)
        let userIDs = (0..<users).map { "u\($0)" }
        let itemIDs = (0..<items).map { "item-\($0 * 7)" }
        let titles = ["Amélie (2001)", "千と千尋の神隠し", "Ünïcødé 🎬", "", "Plain, with \"quotes\"\n"]
        return InteractionDataset(
            name: name, userIDs: userIDs, itemIDs: itemIDs,
            items: itemIDs.map { ItemRecord(rawID: $0, fields: ["title": titles.randomElement(using: &random)!, "year": "1999"]) },
            users: userIDs.map { UserRecord(rawID: $0, attributes: Bool.random(using: &random) ? ["age": "24", "zip": "ß-1"] : [:]) },
            interactions: (0..<interactions).map { _ in
                Interaction(user: Int32.random(in: 0..<Int32(users), using: &random), item: Int32.random(in: 0..<Int32(items), using: &random),
                            rating: Float(Int.random(in: 1...10, using: &random)) / 2,
                            timestamp: Int64.random(in: -1_000...Int64.max, using: &random))
            })
    }

    private func assertEqual(_ loaded: InteractionDataset, _ expected: InteractionDataset, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(loaded.name, expected.name, file: file, line: line)
        XCTAssertEqual(loaded.userIDs, expected.userIDs, file: file, line: line)
        XCTAssertEqual(loaded.itemIDs, expected.itemIDs, file: file, line: line)
        XCTAssertEqual(loaded.items, expected.items, file: file, line: line)
        XCTAssertEqual(loaded.users, expected.users, file: file, line: line)
        XCTAssertTrue(loaded.interactions == expected.interactions, "interactions differ", file: file, line: line)
    }

    private func thrownDatasetStoreError(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> DatasetStoreError? {
        do {
            try body()
            XCTFail("expected a DatasetStoreError", file: file, line: line)
        } catch let error as DatasetStoreError {
            return error
        } catch {
            XCTFail("expected a DatasetStoreError, got \(error)", file: file, line: line)
        }
        return nil
    }
}

