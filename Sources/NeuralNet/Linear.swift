import LinearAlgebra
import SeededRandom

/// A fully connected layer `y = x Wᵀ + b`.
///
/// Shapes: input `[rows, inputSize]`, output `[rows, outputSize]`, weight `[outputSize, inputSize]`
/// (PyTorch's layout, so checkpoints load unchanged), bias `[outputSize]`.
///
/// Large inputs are cut into a fixed number of row chunks (`chunkCount`, a function of the shape
/// only) run on Dispatch's workers, one single-threaded `sgemm` per chunk: at transformer widths
/// (k = 64 ... 1024) OpenBLAS's own threading of one tall product sustains a fraction of the rate of
/// independent per-core products. The weight and bias gradients are summed per chunk and the
/// partial sums added in chunk order, so a result depends on the shape, never on the core count.
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
    /// Per-chunk weight and bias gradients of chunks 1 ..< chunkCount (chunk 0 adds into the
    /// parameters' gradients directly), reused between calls.
    private var partialGradients: [Float] = []

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

    /// Row chunks of a product over `rows` rows: one below `minimumChunkRows · 2` rows (one `sgemm`,
    /// threaded by OpenBLAS as it sees fit), else up to `Parallel.defaultChunkCount`.
    static func chunkCount(rows: Int) -> Int {
        min(Parallel.defaultChunkCount, max(1, rows / minimumChunkRows))
    }

    /// Fewest rows a chunk gets.
    static let minimumChunkRows = 256

    /// Runs `body(chunk, rows)` over the row chunks: inline for one chunk, else concurrently with
    /// OpenBLAS single-threaded.
    private static func forEachChunk(rows: Int, _ body: (Int, Range<Int>) -> Void) {
        let chunks = chunkCount(rows: rows)
        if chunks == 1 {
            body(0, 0..<rows)
        } else {
            BLAS.singleThreaded { Parallel.forEachChunk(count: rows, chunkCount: chunks, body) }
        }
    }

    /// `[rows, inputSize] -> [rows, outputSize]`; keeps `x` for `backward`.
    public mutating func forward(_ x: [Float]) -> [Float] {
        precondition(x.count % inputSize == 0, "input of \(x.count) values is not [rows, \(inputSize)]")
        rows = x.count / inputSize
        input = x
        let (n, k) = (outputSize, inputSize)
        guard rows > 0 else { return [] }
        return [Float](unsafeUninitializedCapacity: rows * n) { y, initialized in
            x.withUnsafeBufferPointer { x in
                weight.value.withUnsafeBufferPointer { w in
                    bias.value.withUnsafeBufferPointer { b in
                        let (x, w, b, y) = (x.baseAddress!, w.baseAddress!, b.baseAddress!, y.baseAddress!)
                        Self.forEachChunk(rows: rows) { _, chunk in
                            for r in chunk { (y + r * n).initialize(from: b, count: n) }
                            BLAS.gemm(transposeB: true, m: chunk.count, n: n, k: k, a: x + chunk.lowerBound * k, lda: k,
                                      b: w, ldb: k, beta: 1, c: y + chunk.lowerBound * n, ldc: n)
                        }
                    }
                }
            }
            initialized = rows * n
        }
    }

    /// Given dLoss/dy `[rows, outputSize]`: accumulates dW += dyᵀ x and db += Σ_rows dy, returns
    /// dLoss/dx `[rows, inputSize]`.
    public mutating func backward(_ dy: [Float]) -> [Float] {
        precondition(dy.count == rows * outputSize, "gradient of \(dy.count) values, expected [\(rows), \(outputSize)]")
        let (rows, n, k) = (rows, outputSize, inputSize)
        guard rows > 0 else { return [] }
        let chunks = Self.chunkCount(rows: rows)
        let partialSize = n * k + n
        if partialGradients.count != (chunks - 1) * partialSize {
            partialGradients = [Float](repeating: 0, count: (chunks - 1) * partialSize)
        }
        let ones = [Float](repeating: 1, count: rows)
        let dx = [Float](unsafeUninitializedCapacity: rows * k) { dx, initialized in
            dy.withUnsafeBufferPointer { dy in
                input.withUnsafeBufferPointer { x in
                    weight.value.withUnsafeBufferPointer { w in
                        weight.gradient.withUnsafeMutableBufferPointer { dw in
                            bias.gradient.withUnsafeMutableBufferPointer { db in
                                partialGradients.withUnsafeMutableBufferPointer { partials in
                                    let (dy, x, w, dx) = (dy.baseAddress!, x.baseAddress!, w.baseAddress!, dx.baseAddress!)
                                    let (dw, db, partials) = (dw.baseAddress!, db.baseAddress!, partials.baseAddress)
                                    Self.forEachChunk(rows: rows) { c, chunk in
                                        let (dyChunk, first) = (dy + chunk.lowerBound * n, chunk.lowerBound)
                                        let partialW = c == 0 ? dw : partials! + (c - 1) * partialSize
                                        let partialB = c == 0 ? db : partialW + n * k
                                        BLAS.gemm(transposeA: true, m: n, n: k, k: chunk.count, a: dyChunk, lda: n,
                                                  b: x + first * k, ldb: k, beta: c == 0 ? 1 : 0, c: partialW, ldc: k)
                                        BLAS.gemv(transpose: true, rows: chunk.count, cols: n, a: dyChunk, lda: n, x: ones,
                                                  beta: c == 0 ? 1 : 0, y: partialB)
                                        BLAS.gemm(m: chunk.count, n: k, k: n, a: dyChunk, lda: n, b: w, ldb: k,
                                                  c: dx + first * k, ldc: k)
                                    }
                                    guard chunks > 1, let partials else { return }
                                    // Chunk-ordered sums, split by gradient entries.
                                    Parallel.forEachChunk(count: partialSize) { _, entries in
                                        for c in 1..<chunks {
                                            let partial = partials + (c - 1) * partialSize
                                            for e in entries.clamped(to: 0..<n * k) { dw[e] += partial[e] }
                                            for e in entries.clamped(to: n * k..<partialSize) { db[e - n * k] += partial[e] }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            initialized = rows * k
        }
        return dx
    }
}
