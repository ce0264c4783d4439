/// A trainable tensor: its values, the gradient accumulated by `backward` calls, and whether
/// AdamW's decoupled weight decay applies to it.
///
/// A class so that layers (value types) and the optimizer share one tensor: copying a layer copies
/// its activation caches but not its weights, which is what makes a fitted model safe to run from
/// several threads at once (each thread works on its own copy of the layers).
public final class Parameter {
    /// Name in checkpoints (`"blocks.0.attention.qkv.weight"`).
    public let name: String
    /// Tensor shape, row-major (`[out, in]` for a linear layer's weight).
    public let shape: [Int]
    /// The values, `[shape.reduce(1, *)]`, row-major.
    public var value: [Float]
    /// dLoss/dvalue accumulated since the last `zeroGradient()`, same layout as `value`.
    public var gradient: [Float]
    /// Whether AdamW's weight decay applies (weights yes; biases and LayerNorm gains no).
    public let decays: Bool

    /// A parameter of `shape` with initial `value` (`value.count` must match the shape).
    public init(name: String, shape: [Int], value: [Float], decays: Bool) {
        precondition(value.count == shape.reduce(1, *), "\(name): \(value.count) values for shape \(shape)")
        self.name = name
        self.shape = shape
        self.value = value
        self.gradient = [Float](repeating: 0, count: value.count)
        self.decays = decays
    }

    /// Number of scalars.
    public var count: Int { value.count }

    /// Sets the accumulated gradient to zero.
    public func zeroGradient() {
        gradient.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }
}

public extension Array where Element == Parameter {
    /// Total number of scalars over all parameters.
    var scalarCount: Int { reduce(0) { $0 + $1.count } }

    /// Zeroes every parameter's gradient.
    func zeroGradients() { forEach { $0.zeroGradient() } }

    /// A copy of every parameter's values, in order (an in-memory checkpoint).
    func snapshot() -> [[Float]] { map(\.value) }

    /// Restores values taken by `snapshot()` from the same parameters.
    func restore(_ snapshot: [[Float]]) {
        precondition(snapshot.count == count, "snapshot of \(snapshot.count) tensors for \(count) parameters")
        for (parameter, values) in zip(self, snapshot) {
            precondition(values.count == parameter.count, "\(parameter.name): snapshot size differs")
            parameter.value = values
        }
    }
}
