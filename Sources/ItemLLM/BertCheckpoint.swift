import Foundation

/// Named float32 tensors read on demand from a Hugging Face `model.safetensors` file.
///
/// `NeuralNet.Safetensors.decode` rejects any tensor that is not float32, and sentence-transformers
/// checkpoints carry an int64 `embeddings.position_ids` buffer; this reader parses the header of the
/// memory-mapped file and copies out only the float32 tensors asked for, checking their shapes.
public struct BertCheckpoint {
    /// The file's path (for error messages).
    public let path: String
    private let data: Data
    private let dataStart: Int
    private let entries: [String: (dtype: String, shape: [Int], begin: Int, end: Int)]

    /// Maps the file at `url` and parses its header; throws `ItemLLMError.malformedModelFile` when
    /// the header is unreadable.
    public init(url: URL) throws {
        path = url.path
        let path = url.path
        func fail(_ reason: String) -> ItemLLMError { .malformedModelFile(path: path, reason: reason) }
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch { throw ItemLLMError.missingModelFile(path: path) }
        guard data.count >= 8 else { throw fail("shorter than the 8-byte header length") }
        let headerLength = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength <= UInt64(data.count - 8) else { throw fail("header of \(headerLength) bytes overruns the file") }
        dataStart = 8 + Int(headerLength)
        let headerBytes = data.subdata(in: data.startIndex + 8..<data.startIndex + dataStart)
        guard let header = try? JSONSerialization.jsonObject(with: headerBytes) as? [String: Any] else {
            throw fail("the safetensors header is not a JSON object")
        }
        var entries: [String: (dtype: String, shape: [Int], begin: Int, end: Int)] = [:]
        for (name, entry) in header where name != "__metadata__" {
            guard let fields = entry as? [String: Any], let dtype = fields["dtype"] as? String,
                  let shape = fields["shape"] as? [Int], let offsets = fields["data_offsets"] as? [Int], offsets.count == 2,
                  offsets[0] >= 0, offsets[0] <= offsets[1], dataStart + offsets[1] <= data.count else {
                throw fail("tensor '\(name)' has no valid dtype, shape and data_offsets")
            }
            entries[name] = (dtype, shape, offsets[0], offsets[1])
        }
        self.entries = entries
    }

    /// Names of every tensor in the file, sorted.
    public var names: [String] { entries.keys.sorted() }

    /// The float32 tensor `name`, row-major `[shape.reduce(1, *)]`; throws
    /// `ItemLLMError.malformedModelFile` when it is missing, not float32, or of another shape.
    public func tensor(_ name: String, shape: [Int]) throws -> [Float] {
        func fail(_ reason: String) -> ItemLLMError { .malformedModelFile(path: path, reason: reason) }
        guard let entry = entries[name] else { throw fail("no tensor '\(name)'") }
        guard entry.dtype == "F32" else { throw fail("tensor '\(name)' is \(entry.dtype), expected F32") }
        guard entry.shape == shape else { throw fail("tensor '\(name)' has shape \(entry.shape), the model expects \(shape)") }
        let count = shape.reduce(1, *)
        guard entry.end - entry.begin == 4 * count else { throw fail("tensor '\(name)' holds \(entry.end - entry.begin) bytes for shape \(shape)") }
        let start = dataStart + entry.begin
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            data.withUnsafeBytes { raw in
                let source = UnsafeRawBufferPointer(rebasing: raw[start..<start + 4 * count])
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: source)
            }
            for i in 0..<count { buffer[i] = Float(bitPattern: UInt32(littleEndian: buffer[i].bitPattern)) }
            initialized = count
        }
    }
}
