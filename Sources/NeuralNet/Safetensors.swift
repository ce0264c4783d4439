import Foundation

/// Reading and writing the safetensors format (Hugging Face): an 8-byte little-endian header
/// length, a JSON header `{name: {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}}`
/// (plus an optional `"__metadata__"` string map), then the raw little-endian tensor bytes.
/// Only float32 tensors are supported, which is what every model here stores.
public enum Safetensors {
    /// One float32 tensor.
    public struct Tensor: Equatable, Sendable {
        /// Dimensions, row-major.
        public var shape: [Int]
        /// `[shape.reduce(1, *)]` values.
        public var values: [Float]

        /// A tensor of `shape` over `values`.
        public init(shape: [Int], values: [Float]) {
            precondition(values.count == shape.reduce(1, *), "\(values.count) values for shape \(shape)")
            self.shape = shape
            self.values = values
        }
    }

    /// Tensors and metadata as stored in one file.
    public struct Contents: Equatable, Sendable {
        /// Tensors by name.
        public var tensors: [String: Tensor]
        /// The `"__metadata__"` map (empty when absent).
        public var metadata: [String: String]

        /// Contents with `tensors` and `metadata`.
        public init(tensors: [String: Tensor], metadata: [String: String] = [:]) {
            self.tensors = tensors
            self.metadata = metadata
        }
    }

    /// The file bytes for `contents`: tensors in name order, header padded with spaces to a
    /// multiple of 8 bytes so the data is aligned.
    public static func encode(_ contents: Contents) throws -> Data {
        var header: [String: Any] = [:]
        if !contents.metadata.isEmpty { header["__metadata__"] = contents.metadata }
        var offset = 0
        let names = contents.tensors.keys.sorted()
        for name in names {
            let tensor = contents.tensors[name]!
            let bytes = tensor.values.count * MemoryLayout<Float>.size
            header[name] = ["dtype": "F32", "shape": tensor.shape, "data_offsets": [offset, offset + bytes]] as [String: Any]
            offset += bytes
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        json.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - json.count % 8) % 8))
        var data = Data(capacity: 8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(json)
        for name in names {
            contents.tensors[name]!.values.withUnsafeBufferPointer { values in
                for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
            }
        }
        return data
    }

    /// Parses file bytes; throws `SafetensorsError` naming what is wrong (also for negative or
    /// overflowing shapes and for tensors whose bytes overlap, so no header makes it allocate more
    /// than the file holds).
    public static func decode(_ data: Data) throws -> Contents {
        guard data.count >= 8 else { throw SafetensorsError.truncated("the 8-byte header length is missing") }
        let headerLength = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength <= UInt64(data.count - 8) else {
            throw SafetensorsError.truncated("header of \(headerLength) bytes in a \(data.count)-byte file")
        }
        let dataStart = 8 + Int(headerLength)
        let headerBytes = data.subdata(in: data.startIndex + 8..<data.startIndex + dataStart)
        guard let header = try? JSONSerialization.jsonObject(with: headerBytes) as? [String: Any] else {
            throw SafetensorsError.badHeader("the header is not a JSON object")
        }
        var contents = Contents(tensors: [:])
        // Every entry is checked before anything is allocated: sizes come from the file, so they are
        // checked for sign and overflow before any arithmetic, and tensors may not share bytes (then
        // the values decoded never exceed the file's size, whatever the header says).
        var entries: [(name: String, shape: [Int], bytes: Range<Int>)] = []
        for (name, entry) in header {
            if name == "__metadata__" {
                guard let metadata = entry as? [String: String] else { throw SafetensorsError.badHeader("__metadata__ is not a string map") }
                contents.metadata = metadata
                continue
            }
            guard let fields = entry as? [String: Any], let dtype = fields["dtype"] as? String,
                  let shape = fields["shape"] as? [Int], let offsets = fields["data_offsets"] as? [Int], offsets.count == 2 else {
                throw SafetensorsError.badHeader("tensor '\(name)' lacks dtype, shape or data_offsets")
            }
            guard dtype == "F32" else { throw SafetensorsError.unsupportedType(name: name, dtype: dtype) }
            var count = 1
            for dimension in shape {
                let product = count.multipliedReportingOverflow(by: dimension)
                guard dimension >= 0, !product.overflow else {
                    throw SafetensorsError.badHeader("tensor '\(name)': shape \(shape) has a negative dimension or too many elements")
                }
                count = product.partialValue
            }
            let byteCount = count.multipliedReportingOverflow(by: 4)
            guard !byteCount.overflow, offsets[0] >= 0, offsets[1] >= offsets[0], offsets[1] - offsets[0] == byteCount.partialValue,
                  offsets[1] <= data.count - dataStart else {
                throw SafetensorsError.badHeader("tensor '\(name)': data_offsets \(offsets) do not fit shape \(shape) and the file")
            }
            entries.append((name, shape, offsets[0]..<offsets[1]))
        }
        let nonEmpty = entries.filter { !$0.bytes.isEmpty }.sorted { ($0.bytes.lowerBound, $0.name) < ($1.bytes.lowerBound, $1.name) }
        for (first, second) in zip(nonEmpty, nonEmpty.dropFirst()) where first.bytes.overlaps(second.bytes) {
            throw SafetensorsError.badHeader("tensors '\(first.name)' and '\(second.name)' overlap (data_offsets \(first.bytes.lowerBound)..<\(first.bytes.upperBound) and \(second.bytes.lowerBound)..<\(second.bytes.upperBound))")
        }
        for (name, shape, bytes) in entries {
            let start = data.startIndex + dataStart + bytes.lowerBound
            let count = bytes.count / 4
            let values = data.subdata(in: start..<start + bytes.count).withUnsafeBytes { raw in
                (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
            }
            contents.tensors[name] = Tensor(shape: shape, values: values)
        }
        return contents
    }

    /// Writes `contents` to `url` atomically.
    public static func write(_ contents: Contents, to url: URL) throws {
        try encode(contents).write(to: url, options: .atomic)
    }

    /// Reads the file at `url`.
    public static func read(from url: URL) throws -> Contents {
        try decode(Data(contentsOf: url))
    }
}

/// A safetensors file that cannot be read, or a checkpoint that does not fit the model.
public enum SafetensorsError: Error, Equatable, CustomStringConvertible {
    case truncated(String)
    case badHeader(String)
    case unsupportedType(name: String, dtype: String)
    case missingTensor(String)
    case shapeMismatch(name: String, expected: [Int], found: [Int])

    public var description: String {
        switch self {
        case .truncated(let what): return "safetensors file is truncated: \(what)"
        case .badHeader(let what): return "bad safetensors header: \(what)"
        case .unsupportedType(let name, let dtype): return "tensor '\(name)' has dtype \(dtype); only F32 is supported"
        case .missingTensor(let name): return "checkpoint has no tensor '\(name)'"
        case .shapeMismatch(let name, let expected, let found):
            return "tensor '\(name)' has shape \(found) in the checkpoint, the model expects \(expected)"
        }
    }
}

public extension Array where Element == Parameter {
    /// Every parameter as a safetensors tensor under its name.
    func safetensorsContents(metadata: [String: String] = [:]) -> Safetensors.Contents {
        Safetensors.Contents(tensors: Dictionary(uniqueKeysWithValues: map {
            ($0.name, Safetensors.Tensor(shape: $0.shape, values: $0.value))
        }), metadata: metadata)
    }

    /// Sets every parameter from the tensor of the same name; throws if one is missing or has
    /// another shape (then no parameter is changed).
    func load(_ contents: Safetensors.Contents) throws {
        for parameter in self {
            guard let tensor = contents.tensors[parameter.name] else { throw SafetensorsError.missingTensor(parameter.name) }
            guard tensor.shape == parameter.shape else {
                throw SafetensorsError.shapeMismatch(name: parameter.name, expected: parameter.shape, found: tensor.shape)
            }
        }
        for parameter in self { parameter.value = contents.tensors[parameter.name]!.values }
    }
}
