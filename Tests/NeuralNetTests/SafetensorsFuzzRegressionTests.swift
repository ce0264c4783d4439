import Foundation
import NeuralNet
import XCTest

/// Headers that trapped `Safetensors.decode` (README "Reliability: fuzzing"): sizes taken from the
/// file overflowed or went negative before they were checked. The inputs are written out here (this
/// test target has no resource folder): each is the minimised fuzz input's header.
final class SafetensorsFuzzRegressionTests: XCTestCase {
    /// A safetensors file: the 8-byte little-endian length of `header`, `header`, then `data`.
    private func file(_ header: String, data: [UInt8] = []) -> Data {
        let json = Array(header.utf8)
        return Data((0..<8).map { UInt8(truncatingIfNeeded: UInt64(json.count) >> (8 * $0)) } + json + data)
    }

    private func assertBadHeader(_ data: Data, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try Safetensors.decode(data), file: file, line: line) { error in
            XCTAssertEqual((error as? SafetensorsError)?.description, message, file: file, line: line)
        }
    }

    /// Found by the fuzzer (the minimised 72-byte input): `count * 4` overflowed for Int.max elements.
    func testShapeWhoseByteCountOverflowsIsABadHeader() {
        assertBadHeader(file(#"{"":{"dtype":"F32","shape":[9223372036854775807],"data_offsets":[0,4]}}"#),
                        "bad safetensors header: tensor '': data_offsets [0, 4] do not fit shape [9223372036854775807] and the file")
    }

    /// The product of the dimensions overflowed.
    func testShapeWhoseProductOverflowsIsABadHeader() {
        assertBadHeader(file(#"{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,0]}}"#),
                        "bad safetensors header: tensor 'a': shape [4611686018427387904, 4] has a negative dimension or too many elements")
    }

    /// A negative dimension with reversed offsets passed the size check and built a reversed range.
    func testNegativeDimensionIsABadHeader() {
        assertBadHeader(file(#"{"n":{"dtype":"F32","shape":[-1],"data_offsets":[4,0]}}"#, data: [0, 0, 0, 0]),
                        "bad safetensors header: tensor 'n': shape [-1] has a negative dimension or too many elements")
        assertBadHeader(file(#"{"n":{"dtype":"F32","shape":[-1,-1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]),
                        "bad safetensors header: tensor 'n': shape [-1, -1] has a negative dimension or too many elements")
    }

    /// Offsets past the end of the data, or reversed, are refused before anything is read.
    func testOffsetsOutsideTheDataAreABadHeader() {
        assertBadHeader(file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[9223372036854775806,9223372036854775810]}}"#),
                        "bad safetensors header: tensor 'a' lacks dtype, shape or data_offsets")
        assertBadHeader(file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: [0, 0, 0, 0]),
                        "bad safetensors header: tensor 'a': data_offsets [4, 8] do not fit shape [1] and the file")
    }

    /// Tensors sharing bytes let a small file decode into many times its size; now refused.
    func testOverlappingTensorsAreABadHeader() {
        let tensors = (0..<3).map { #""t\#($0)":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}"# }
        assertBadHeader(file("{" + tensors.joined(separator: ",") + "}", data: Array(repeating: 0, count: 8)),
                        "bad safetensors header: tensors 't0' and 't1' overlap (data_offsets 0..<8 and 0..<8)")
    }

    /// Adjacent tensors, empty tensors at any offset and a scalar still decode.
    func testAdjacentAndEmptyTensorsStillDecode() throws {
        let header = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[],"data_offsets":[4,8]},"#
            + #""e":{"dtype":"F32","shape":[0,5],"data_offsets":[4,4]}}"#
        let contents = try Safetensors.decode(file(header, data: [0, 0, 0x80, 0x3F, 0, 0, 0, 0x40]))
        XCTAssertEqual(contents.tensors["a"], Safetensors.Tensor(shape: [1], values: [1]))
        XCTAssertEqual(contents.tensors["b"], Safetensors.Tensor(shape: [], values: [2]))
        XCTAssertEqual(contents.tensors["e"], Safetensors.Tensor(shape: [0, 5], values: []))
    }
}
