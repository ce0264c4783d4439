import Foundation
import NeuralNet
import SeededRandom
import XCTest

/// Safetensors round trips, the byte layout, and loading into parameters.
final class SafetensorsTests: XCTestCase {
    func testRoundTripAndLayout() throws {
        let contents = Safetensors.Contents(tensors: [
            "b": .init(shape: [3], values: [1, -2.5, .pi]),
            "a.weight": .init(shape: [2, 2], values: [0, 1, 2, 3]),
        ], metadata: ["epoch": "7"])
        let data = try Safetensors.encode(contents)
        XCTAssertEqual(try Safetensors.decode(data), contents)
        let headerLength = Int(data.prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        XCTAssertEqual(headerLength % 8, 0)
        XCTAssertEqual(data.count, 8 + headerLength + 7 * 4)
        let header = try XCTUnwrap(JSONSerialization.jsonObject(with: data.subdata(in: 8..<8 + headerLength)) as? [String: Any])
        let a = try XCTUnwrap(header["a.weight"] as? [String: Any])
        XCTAssertEqual(a["dtype"] as? String, "F32")
        XCTAssertEqual(a["shape"] as? [Int], [2, 2])
        XCTAssertEqual(a["data_offsets"] as? [Int], [0, 16])
        XCTAssertEqual((header["b"] as? [String: Any])?["data_offsets"] as? [Int], [16, 28])
        // Little-endian float32 data after the header.
        XCTAssertEqual(Array(data[(8 + headerLength + 16)..<(8 + headerLength + 20)]), [0, 0, 0x80, 0x3F])
    }

    func testParametersSaveAndLoadThroughAFile() throws {
        var random = SplitMix64(seed: 50)
        let layer = Linear(name: "proj", inputSize: 3, outputSize: 2, random: &random)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nn-\(UUID()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try Safetensors.write(layer.parameters.safetensorsContents(), to: url)
        var other = SplitMix64(seed: 51)
        let fresh = Linear(name: "proj", inputSize: 3, outputSize: 2, random: &other)
        XCTAssertNotEqual(fresh.weight.value, layer.weight.value)
        try fresh.parameters.load(Safetensors.read(from: url))
        XCTAssertEqual(fresh.weight.value, layer.weight.value)
        XCTAssertEqual(fresh.bias.value, layer.bias.value)

        let wider = Linear(name: "proj", inputSize: 4, outputSize: 2, random: &other)
        XCTAssertThrowsError(try wider.parameters.load(Safetensors.read(from: url))) { error in
            XCTAssertEqual(error as? SafetensorsError, .shapeMismatch(name: "proj.weight", expected: [2, 4], found: [2, 3]))
        }
        let renamed = Linear(name: "other", inputSize: 3, outputSize: 2, random: &other)
        XCTAssertThrowsError(try renamed.parameters.load(Safetensors.read(from: url)))
    }

    func testBadFilesAreRejected() {
        XCTAssertThrowsError(try Safetensors.decode(Data([1, 2, 3])))
        var data = Data()
        withUnsafeBytes(of: UInt64(100).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: Array("{}".utf8))
        XCTAssertThrowsError(try Safetensors.decode(data))
        let header = Array(#"{"x":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}}"#.utf8)
        var f16 = Data()
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { f16.append(contentsOf: $0) }
        f16.append(contentsOf: header + [0, 0])
        XCTAssertThrowsError(try Safetensors.decode(f16)) { error in
            XCTAssertEqual(error as? SafetensorsError, .unsupportedType(name: "x", dtype: "F16"))
        }
    }
}
