// Fuzzes `loadDataset` over the line formats (MovieLens 100K / 1M / CSV, Amazon 2014 / 2018 / 2023,
// RecBole) on plain files.
//
// Input: one control byte, then up to three files separated by 0x1E (interactions, items, users).
// Control byte: `% 7` picks the format; bit 4 sets `skipBadLines`; bit 5 detects the format from
// the file names instead of passing it.
import Datasets
import Foundation

/// The formats and the file names their directories use: interactions, items, users.
let layouts: [(format: DatasetFormat, names: [String])] = [
    (.movielens100k, ["u.data", "u.item", "u.user"]),
    (.movielens1m, ["ratings.dat", "movies.dat", "users.dat"]),
    (.movielensCSV, ["ratings.csv", "movies.csv"]),
    (.amazon2014, ["reviews_Toys_5.json", "meta_Toys.json"]),
    (.amazon2018, ["Toys_5.json", "meta_Toys.json"]),
    (.amazon2023, ["Toys.jsonl", "meta_Toys.jsonl"]),
    (.recbole, ["tiny.inter", "tiny.item", "tiny.user"]),
]

let scratch = ScratchDirectory("DatasetFiles")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let bytes = FuzzInput.bytes(data, size)
    let control = bytes[0]
    let layout = layouts[Int(control) % layouts.count]
    let directory = scratch.directory(layout.format.rawValue, files: bytes[1...], names: layout.names)
    let options = ParseOptions(skipBadLines: control & 0x10 != 0)
    let format: DatasetFormat? = control & 0x20 != 0 ? nil : layout.format
    do {
        let parsed = try loadDataset(at: directory, format: format, name: "fuzz", options: options)
        checkInvariants(parsed.dataset)
    } catch {
        expectError(error, isOneOf: [DatasetError.self], context: "loadDataset(\(layout.format.rawValue))")
    }
    return 0
}

/// What every parsed data set satisfies: indices in range, records aligned with ids.
func checkInvariants(_ dataset: InteractionDataset) {
    for interaction in dataset.interactions {
        guard (0..<dataset.numUsers).contains(Int(interaction.user)), (0..<dataset.numItems).contains(Int(interaction.item)) else {
            violation("interaction \(interaction) out of range for \(dataset.numUsers) users, \(dataset.numItems) items")
        }
    }
    guard dataset.items.isEmpty || dataset.items.map(\.rawID) == dataset.itemIDs else { violation("items misaligned") }
    guard dataset.users.isEmpty || dataset.users.map(\.rawID) == dataset.userIDs else { violation("users misaligned") }
    guard Set(dataset.userIDs).count == dataset.numUsers, Set(dataset.itemIDs).count == dataset.numItems else {
        violation("repeated raw ids")
    }
}
