// Fuzzes `ingestDataset`, the path from raw files into the feature store: every input is ingested
// as data set "fuzz" into one store that also holds a data set ingested at start-up, and whenever
// the ingest throws, the digest of every key and value in the store must be what it was before.
//
// Input: one control byte, then up to three files separated by 0x1E (interactions, items, users).
// Control byte: `% 8` picks the format (the seven line formats, then LC-Rec); bit 4 sets
// `skipBadLines`; bit 5 applies a 2-core filter; bit 6 keeps ratings >= 4 only.
import Datasets
import FeatureStore
import Foundation

let layouts: [(format: DatasetFormat, names: [String])] = [
    (.movielens100k, ["u.data", "u.item", "u.user"]),
    (.movielens1m, ["ratings.dat", "movies.dat", "users.dat"]),
    (.movielensCSV, ["ratings.csv", "movies.csv"]),
    (.amazon2014, ["reviews_Toys_5.json", "meta_Toys.json"]),
    (.amazon2018, ["Toys_5.json", "meta_Toys.json"]),
    (.amazon2023, ["Toys.jsonl", "meta_Toys.jsonl"]),
    (.recbole, ["tiny.inter", "tiny.item", "tiny.user"]),
    (.lcRec, ["Shop.inter.json", "Shop.item.json"]),
]

let scratch = ScratchDirectory("Ingest")

/// The store, opened once, holding data set "base" from the start.
let store: FeatureStore = {
    do {
        let store = try FeatureStore(path: "\(scratch.path)/store", initialMapSize: 64 << 20)
        let directory = scratch.directory("base", removing: [])
        scratch.write(Array("userId,movieId,rating,timestamp\n1,10,4.0,100\n1,11,3.5,101\n2,10,5.0,102\n".utf8),
                      to: directory, as: "ratings.csv")
        _ = try ingestDataset(at: directory, format: .movielensCSV, name: "base", into: store)
        return store
    } catch {
        violation("cannot set up the store: \(error)")
    }
}()

/// SHA-256 over every table's name, keys and values.
func storeDigest() -> String {
    var hasher = SHA256()
    do {
        try store.read { transaction in
            for table in StoreTable.allCases {
                hasher.update(table.rawValue)
                try transaction.forEachRawEntry(in: table) { key, value in
                    hasher.update(key)
                    hasher.update(value)
                }
            }
        }
    } catch {
        violation("cannot read the store: \(error)")
    }
    return hasher.finalizeHex()
}

/// The digest after the last successful ingest (only a successful ingest may change the store).
var expectedDigest = storeDigest()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let bytes = FuzzInput.bytes(data, size)
    let control = bytes[0]
    let layout = layouts[Int(control) % layouts.count]
    let directory = scratch.directory(layout.format.rawValue, files: bytes[1...], names: layout.names)
    let options = ParseOptions(skipBadLines: control & 0x10 != 0)
    let filters = IngestFilters(minimumRating: control & 0x40 != 0 ? 4 : nil, kCore: control & 0x20 != 0 ? 2 : nil)
    do {
        _ = try ingestDataset(at: directory, format: layout.format, name: "fuzz", options: options, filters: filters,
                              into: store)
        expectedDigest = storeDigest()
    } catch {
        expectError(error, isOneOf: [DatasetError.self, DatasetStoreError.self], context: "ingestDataset(\(layout.format.rawValue))")
        let digest = storeDigest()
        if digest != expectedDigest { violation("a failed ingest changed the store (\(error))") }
    }
    return 0
}
