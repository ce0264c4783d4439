// Fuzzes `loadDataset` over the LC-Rec JSON layout: whole JSON documents parsed by the byte-level
// `LiteralParser` (deep nesting, escapes, huge numbers, repeated keys).
//
// Input: one control byte, then the interactions document and optionally the item document,
// separated by 0x1E. Control byte: bit 0 loads the interactions file by its path instead of the
// directory (the item file is then not read).
import Datasets
import Foundation

let names = ["Shop.inter.json", "Shop.item.json"]
let scratch = ScratchDirectory("LCRecDataset")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let bytes = FuzzInput.bytes(data, size)
    let directory = scratch.directory("lc-rec", files: bytes[1...], names: names)
    let path = bytes[0] & 1 != 0 ? "\(directory)/\(names[0])" : directory
    do {
        let parsed = try loadDataset(at: path, format: .lcRec, name: "fuzz")
        let dataset = parsed.dataset
        guard !dataset.interactions.isEmpty,
              dataset.interactions.allSatisfy({ Int($0.user) < dataset.numUsers && Int($0.item) < dataset.numItems }),
              dataset.items.isEmpty || dataset.items.count == dataset.numItems else {
            violation("inconsistent data set: \(dataset.numUsers) users, \(dataset.numItems) items, \(dataset.interactions.count) interactions")
        }
    } catch {
        expectError(error, isOneOf: [DatasetError.self], context: "loadDataset(lc-rec)")
    }
    return 0
}
