// Fuzzes what `llmrec export --verify` and a resumed export read back from an output folder:
// `ExportManifest.read` and `ExportVerifier.verify` (every shard's manifest, every part's SHA-256).
//
// Input: one control byte (`% 3 + 1` shards), then the manifests of shards 0..<N and one part file
// per shard (`part-<i>-of-<N>-00000.jsonl`), separated by 0x1E.
import BatchExport
import Foundation

let scratch = ScratchDirectory("ExportManifest")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let bytes = FuzzInput.bytes(data, size)
    let shards = Int(bytes[0]) % 3 + 1
    let names = (0..<shards).map { "manifest-\($0)-of-\(shards).json" } + (0..<shards).map { "part-\($0)-of-\(shards)-00000.jsonl" }
    let directory = scratch.directory("shards-\(shards)", files: bytes[1...], names: names)
    let folder = URL(fileURLWithPath: directory)
    do {
        _ = try ExportManifest.read(from: folder.appendingPathComponent(names[0]))
    } catch {
        expectError(error, isOneOf: [ExportError.self], context: "ExportManifest.read")
    }
    do {
        let result = try ExportVerifier.verify(folder: folder, shards: shards)
        guard result.shards == shards, result.parts >= 0, result.users >= 0, result.rows >= 0 else {
            violation("verify returned \(result)")
        }
    } catch {
        expectError(error, isOneOf: [ExportError.self], context: "ExportVerifier.verify")
    }
    return 0
}
