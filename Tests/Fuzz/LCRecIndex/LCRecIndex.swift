// Fuzzes `LCRecIndexFile.parse` (semantic-ID index files as LC-Rec and LETTER publish them) and,
// for an index that parses, `codes(forItemIDs:)` and the round trip through `render`.
//
// Input: the file's bytes.
import Foundation
import SemanticIDs

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(FuzzInput.bytes(data, size))
    let index: LCRecIndexFile
    do {
        index = try LCRecIndexFile.parse(bytes, path: "fuzz.index.json")
    } catch {
        expectError(error, isOneOf: [SemanticIDError.self], context: "LCRecIndexFile.parse")
        return 0
    }
    let itemIDs = index.entries.map(\.itemID)
    do {
        let codes = try index.codes(forItemIDs: itemIDs)
        let rendered = LCRecIndexFile.render(codes, itemIDs: itemIDs)
        let again = try LCRecIndexFile.parse(Data(rendered.utf8), path: "rendered")
        guard again.entries == index.entries else { violation("render then parse changed the index") }
    } catch {
        expectError(error, isOneOf: [SemanticIDError.self], context: "LCRecIndexFile.codes")
    }
    return 0
}
