import LinearAlgebra
import SeededRandom

/// A fully connected layer `y = x Wᵀ + b`.
///
/// Shapes: input `[rows, inputSize]`, output `[rows, outputSize]`, weight `[outputSize, inputSize]`
/// (PyTorch's layout, so checkpoints load unchanged), bias `[outputSize]`. Every product is one
/// `sgemm`.
public struct Linear {
    /// Input features per row.
    public let inputSize: Int
    /// Output features per row.
    public let outputSize: Int
    /// `[outputSize, inputSize]`, Xavier-uniform initialised, weight-decayed.
    public let weight: Parameter
    /// `[outputSize]`, zero-initialised, not decayed.
    public let bias: Parameter
    private var input: [Float] = []
    private var rows = 0

    /// A layer named `name` (parameters `name.weight`, `name.bias`) initialised from `random`.
    public init(name: String, inputSize: Int, outputSize: Int, random: inout SplitMix64) {
        self.inputSize = inputSize
        self.outputSize = outputSize
        weight = Parameter(name: name + ".weight", shape: [outputSize, inputSize],
                           value: Initializer.xavierUniform(fanIn: inputSize, fanOut: outputSize)
                               .values(count: outputSize * inputSize, random: &random), decays: true)
        bias = Parameter(name: name + ".bias", shape: [outputSize], value: [Float](repeating: 0, count: outputSize),
                         decays: false)
    }

    /// The layer's parameters.
    public var parameters: [Parameter] { [weight, bias] }

    /// `[rows, inputSize] -> [rows, outputSize]`; keeps `x` for `backward`.
    public mutating func forward(_ x: [Float]) -> [Float] {
        precondition(x.count % inputSize == 0, "input of \(x.count) values is not [rows, \(inputSize)]")
        rows = x.count / inputSize
        input = x
        var y = [Float](repeating: 0, count: rows * outputSize)
        let (m, n, k) = (rows, outputSize, inputSize)
        y.withUnsafeMutableBufferPointer { y in
            bias.value.withUnsafeBufferPointer { b in
                for r in 0..<m { _ = UnsafeMutableBufferPointer(rebasing: y[r * n..<(r + 1) * n]).update(fromContentsOf: b) }
            }
            x.withUnsafeBufferPointer { x in
                weight.value.withUnsafeBufferPointer { w in
                    BLAS.gemm(transposeB: true, m: m, n: n, k: k, a: x.baseAddress!, lda: k, b: w.baseAddress!, ldb: k,
                              beta: 1, c: y.baseAddress!, ldc: n)
                }
            }
        }
        return y
    }

    /// Given dLoss/dy `[rows, outputSize]`: accumulates dW += dyᵀ x and db += Σ_rows dy, returns
    /// dLoss/dx `[rows, inputSize]`.
    public mutating func backward(_ dy: [Float]) -> [Float] {
        precondition(dy.count == rows * outputSize, "gradient of \(dy.count) values, expected [\(rows), \(outputSize)]")
        var dx = [Float](repeating: 0, count: rows * inputSize)
        let (m, n, k) = (rows, outputSize, inputSize)
        dy.withUnsafeBufferPointer { dy in
            input.withUnsafeBufferPointer { x in
                weight.gradient.withUnsafeMutableBufferPointer { dw in
                    BLAS.gemm(transposeA: true, m: n, n: k, k: m, a: dy.baseAddress!, lda: n, b: x.baseAddress!, ldb: k,
                              beta: 1, c: dw.baseAddress!, ldc: k)
                }
            }
            bias.gradient.withUnsafeMutableBufferPointer { db in
                for r in 0..<m { SIMDKernels.axpy(1, UnsafeBufferPointer(rebasing: dy[r * n..<(r + 1) * n]), db) }
            }
            weight.value.withUnsafeBufferPointer { w in
                dx.withUnsafeMutableBufferPointer { dx in
                    BLAS.gemm(m: m, n: k, k: n, a: dy.baseAddress!, lda: n, b: w.baseAddress!, ldb: k,
                              c: dx.baseAddress!, ldc: k)
                }
            }
        }
        return dx
    }
}
