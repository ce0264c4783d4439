import NeuralNet

// Helpers for `PersistentRecommender` states: metadata, checked tensor reads, exact integers.

/// Integers stored as float32 are exact up to 2²⁴.
let largestExactFloatInteger = 1 << 24

/// The metadata every fitted state carries: its `format` (`"llmrec.<model>.v1"`) and `numItems`.
func fittedStateMetadata(format: String, numItems: Int) -> [String: String] {
    ["format": format, "numItems": String(numItems)]
}

/// `value` as a float32, which holds it exactly (ids and counts of a catalogue of at most 2²⁴ items).
func exactFloat(_ value: Int) -> Float {
    precondition(abs(value) <= largestExactFloatInteger, "\(value) is not exact as a float32 (limit 2^24)")
    return Float(value)
}

extension Safetensors.Contents {
    /// The `numItems` metadata of a fitted state, after checking that its `format` metadata is
    /// `expected` (so another model's state is rejected before any tensor is read).
    /// - Throws: `SafetensorsError.badHeader` naming the expected format, or the bad `numItems`.
    func stateNumItems(format expected: String) throws -> Int {
        guard let found = metadata["format"] else {
            throw SafetensorsError.badHeader("the state has no \"format\" metadata; expected \"\(expected)\"")
        }
        guard found == expected else {
            throw SafetensorsError.badHeader("the state has format \"\(found)\"; expected \"\(expected)\"")
        }
        guard let text = metadata["numItems"], let numItems = Int(text), numItems >= 0 else {
            let found = metadata["numItems"].map { "\"\($0)\"" } ?? "missing"
            throw SafetensorsError.badHeader("\(expected) state: \"numItems\" metadata is \(found); expected a non-negative integer")
        }
        return numItems
    }

    /// The values of tensor `name`, which must have `shape`.
    /// - Throws: `SafetensorsError.missingTensor` or `.shapeMismatch` naming the tensor.
    func values(of name: String, shape: [Int]) throws -> [Float] {
        guard let tensor = tensors[name] else { throw SafetensorsError.missingTensor(name) }
        guard tensor.shape == shape else { throw SafetensorsError.shapeMismatch(name: name, expected: shape, found: tensor.shape) }
        return tensor.values
    }

    /// The values of tensor `name` (of `shape`) as integers, each in `range`.
    /// - Throws: as `values(of:shape:)`, or `SafetensorsError.badHeader` naming the first value that
    ///   is not a whole number in `range`.
    func integers(of name: String, shape: [Int], in range: Range<Int>) throws -> [Int] {
        try values(of: name, shape: shape).enumerated().map { index, value in
            guard let integer = Int(exactly: value), range.contains(integer) else {
                throw SafetensorsError.badHeader("tensor '\(name)' holds \(value) at index \(index); expected an integer in \(range)")
            }
            return integer
        }
    }
}
