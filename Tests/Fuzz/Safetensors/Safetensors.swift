// Fuzzes `Safetensors.decode` (the item LLM's weights, every saved model: `TrainedModel.load`
// decodes the file after checking its SHA-256). A decoded file must encode and decode back to the
// same tensors, bit for bit.
//
// Input: a mode byte, then either (even mode) the file's bytes, or (odd mode) the JSON header and
// the tensor bytes separated by 0x1E, which the harness puts behind the header's true length (so
// mutations of the header's text reach the checks behind the length check).
import Foundation
import NeuralNet

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let input = FuzzInput.bytes(data, size)
    var bytes = Data(input[1...])
    if input[0] & 1 != 0 {
        let parts = FuzzInput.files(input[1...], maxParts: 2)
        bytes = Data((0..<8).map { UInt8(truncatingIfNeeded: UInt64(parts[0].count) >> (8 * $0)) })
        bytes.append(contentsOf: parts[0])
        if parts.count > 1 { bytes.append(contentsOf: parts[1]) }
    }
    let contents: Safetensors.Contents
    do {
        contents = try Safetensors.decode(bytes)
    } catch {
        expectError(error, isOneOf: [SafetensorsError.self], context: "Safetensors.decode")
        return 0
    }
    for (name, tensor) in contents.tensors {
        guard tensor.shape.allSatisfy({ $0 >= 0 }), tensor.values.count == tensor.shape.reduce(1, *) else {
            violation("tensor '\(name)' has shape \(tensor.shape) and \(tensor.values.count) values")
        }
    }
    do {
        let again = try Safetensors.decode(try Safetensors.encode(contents))
        guard again.metadata == contents.metadata, again.tensors.keys.sorted() == contents.tensors.keys.sorted(),
              contents.tensors.allSatisfy({ name, tensor in
                  again.tensors[name]!.shape == tensor.shape
                      && again.tensors[name]!.values.map(\.bitPattern) == tensor.values.map(\.bitPattern)
              }) else { violation("encode then decode changed the contents") }
    } catch {
        violation("a decoded file does not encode and decode again: \(error)")
    }
    return 0
}
