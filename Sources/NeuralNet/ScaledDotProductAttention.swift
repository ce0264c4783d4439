import LinearAlgebra

/// Scaled dot-product attention over a batch of sequences (Vaswani et al. 2017, §3.2.1): for each
/// sequence and head, `softmax(Q Kᵀ / √headDim + mask) V`, the parameter-free core of
/// `MultiHeadSelfAttention` and `CrossAttention`.
///
/// Operands are views into activation buffers given by a base pointer and a row stride, so the
/// fused `[rows, 3·dim]` output of a QKV projection is read in place: head `h` of a row is columns
/// `h·headDim ..< (h+1)·headDim` of its Q, K or V block. Sequence `b` of `queryLayout` attends to
/// sequence `b` of `keyLayout` only. The causal mask (query position `i` sees key positions `≤ i`)
/// needs equal query and key lengths. A prefix mask (`keyLimits`) generalises it: query row `r`
/// sees only the first `keyLimits[r]` keys of its sequence (TIGER's decoder, whose rows for the
/// target after history position `t` may read the encoder states `0...t` only). Padding rows of
/// the key layout are never read; padding rows
/// of the output are left as the caller initialised them. Sequences of `keyLayout` must not
/// overlap (their key and value gradients are accumulated independently).
///
/// Sequences are independent, so they are spread over cores in fixed chunks; each (sequence, head,
/// query tile) is two small `sgemm`s forward and four backward.
public struct ScaledDotProductAttention {
    /// A read-only `[rows, ≥ heads·headDim]` view: `base` points at column 0 of row 0's block.
    public struct Operand {
        /// Row 0, column 0 of the view.
        public var base: UnsafePointer<Float>
        /// Distance between consecutive rows, in floats.
        public var stride: Int

        /// A view of rows `base + r·stride`.
        public init(base: UnsafePointer<Float>, stride: Int) {
            self.base = base
            self.stride = stride
        }
    }

    /// A writable view, same conventions as `Operand`.
    public struct MutableOperand {
        /// Row 0, column 0 of the view.
        public var base: UnsafeMutablePointer<Float>
        /// Distance between consecutive rows, in floats.
        public var stride: Int

        /// A view of rows `base + r·stride`.
        public init(base: UnsafeMutablePointer<Float>, stride: Int) {
            self.base = base
            self.stride = stride
        }
    }

    /// Number of heads.
    public let heads: Int
    /// Width of one head.
    public let headDim: Int
    /// Whether position `i` may only attend to positions `≤ i`.
    public let causal: Bool
    private var probabilities: [Float] = []
    private var offsets: [Int] = []
    private var queryLayout = SequenceLayout.packed(lengths: [])
    private var keyLayout = SequenceLayout.packed(lengths: [])
    private var keyLimits: [Int32]?

    /// Attention with `heads` heads of width `headDim`.
    public init(heads: Int, headDim: Int, causal: Bool) {
        self.heads = heads
        self.headDim = headDim
        self.causal = causal
    }

    /// Query rows per tile: every tile product (`rows · keys · headDim` multiply-adds) stays under
    /// OpenBLAS's threshold for splitting a GEMM across threads (65536 · 4), so calls made from
    /// Dispatch workers run on the calling thread instead of contending for BLAS threads.
    static func tileRows(keys: Int, headDim: Int) -> Int {
        min(64, max(4, 200_000 / max(1, keys * headDim)))
    }

    /// Writes head outputs into `output` (`[queryLayout.rowCount, heads·headDim]` view; padding rows
    /// untouched) and keeps the attention probabilities for `backward`.
    ///
    /// Queries are processed in tiles of `tileRows` rows; with the causal mask a tile only
    /// multiplies against the keys it can see, which halves the work on long sequences.
    ///
    /// - Parameters:
    ///   - query: `[queryLayout.rowCount, heads·headDim]` view.
    ///   - key, value: `[keyLayout.rowCount, heads·headDim]` views.
    ///   - queryLayout, keyLayout: the same number of sequences; with `causal`, equal lengths.
    ///   - keyLimits: nil, or per query row `[queryLayout.rowCount]` how many of its sequence's first
    ///     keys it may see (at least 1 on non-padding rows; values above the key length see all).
    ///     Not with `causal`.
    public mutating func forward(query: Operand, key: Operand, value: Operand, queryLayout: SequenceLayout,
                                 keyLayout: SequenceLayout, keyLimits: [Int32]? = nil, output: MutableOperand) {
        precondition(queryLayout.count == keyLayout.count, "query and key batches differ")
        precondition(!causal || queryLayout.lengths == keyLayout.lengths, "causal attention needs equal lengths")
        precondition(keyLimits == nil || (!causal && keyLimits!.count == queryLayout.rowCount),
                     "key limits need one entry per query row and no causal mask")
        self.queryLayout = queryLayout
        self.keyLayout = keyLayout
        self.keyLimits = keyLimits
        offsets = []
        offsets.reserveCapacity(queryLayout.count + 1)
        var total = 0
        for (lq, lk) in zip(queryLayout.lengths, keyLayout.lengths) {
            offsets.append(total)
            total += heads * lq * lk
        }
        offsets.append(total)
        probabilities = [Float](repeating: 0, count: total)
        let (heads, headDim, offsets) = (heads, headDim, offsets)
        let visibility = visibility
        let scale = 1 / Float(headDim).squareRoot()
        probabilities.withUnsafeMutableBufferPointer { probabilities in
            let pBase = probabilities.baseAddress
            Parallel.forEachChunk(count: queryLayout.count) { _, sequences in
                for s in sequences {
                    let (lq, lk) = (queryLayout.lengths[s], keyLayout.lengths[s])
                    guard lq > 0, lk > 0, let pBase else { continue }
                    let (qRow, kRow) = (queryLayout.starts[s], keyLayout.starts[s])
                    let tile = Self.tileRows(keys: lk, headDim: headDim)
                    for h in 0..<heads {
                        let column = h * headDim
                        for i0 in stride(from: 0, to: lq, by: tile) {
                            let rows = min(tile, lq - i0)
                            let keys = visibility.tileKeys(qRow: qRow, i0: i0, rows: rows, keyLength: lk)
                            guard keys > 0 else { continue }
                            let p = pBase + offsets[s] + h * lq * lk + i0 * lk
                            BLAS.gemm(transposeB: true, m: rows, n: keys, k: headDim, alpha: scale,
                                      a: query.base + (qRow + i0) * query.stride + column, lda: query.stride,
                                      b: key.base + kRow * key.stride + column, ldb: key.stride, c: p, ldc: lk)
                            for i in 0..<rows {
                                let visible = visibility.keys(qRow: qRow, i: i0 + i, keyLength: lk)
                                if visible > 0 { VectorMath.softmaxInPlace(p + i * lk, count: visible) }
                                for j in visible..<keys { p[i * lk + j] = 0 }
                            }
                            BLAS.gemm(m: rows, n: headDim, k: keys, a: p, lda: lk,
                                      b: value.base + kRow * value.stride + column, ldb: value.stride,
                                      c: output.base + (qRow + i0) * output.stride + column, ldc: output.stride)
                        }
                    }
                }
            }
        }
    }

    /// Given dLoss/doutput, writes dLoss/dQ into the matching rows and head columns of
    /// `queryGradient` (overwriting) and adds dLoss/dK and dLoss/dV into `keyGradient` and
    /// `valueGradient` (the caller zeroes them). Padding rows are untouched. `query`, `key` and
    /// `value` must be the views given to the last `forward`.
    public func backward(outputGradient: Operand, query: Operand, key: Operand, value: Operand,
                         queryGradient: MutableOperand, keyGradient: MutableOperand, valueGradient: MutableOperand) {
        let (heads, headDim, offsets) = (heads, headDim, offsets)
        let (queryLayout, keyLayout, visibility) = (queryLayout, keyLayout, visibility)
        let scale = 1 / Float(headDim).squareRoot()
        probabilities.withUnsafeBufferPointer { probabilities in
            let pBase = probabilities.baseAddress
            Parallel.forEachChunk(count: queryLayout.count) { _, sequences in
                let largest = sequences.map { keyLayout.lengths[$0] * Self.tileRows(keys: keyLayout.lengths[$0], headDim: headDim) }
                    .max() ?? 0
                var scratch = [Float](repeating: 0, count: largest)
                scratch.withUnsafeMutableBufferPointer { scratch in
                    for s in sequences {
                        let (lq, lk) = (queryLayout.lengths[s], keyLayout.lengths[s])
                        guard lq > 0, lk > 0, let pBase, let dS = scratch.baseAddress else { continue }
                        let (qRow, kRow) = (queryLayout.starts[s], keyLayout.starts[s])
                        let tile = Self.tileRows(keys: lk, headDim: headDim)
                        for h in 0..<heads {
                            let column = h * headDim
                            let k = key.base + kRow * key.stride + column
                            let v = value.base + kRow * value.stride + column
                            let dK = keyGradient.base + kRow * keyGradient.stride + column
                            let dV = valueGradient.base + kRow * valueGradient.stride + column
                            for i0 in stride(from: 0, to: lq, by: tile) {
                                let rows = min(tile, lq - i0)
                                let keys = visibility.tileKeys(qRow: qRow, i0: i0, rows: rows, keyLength: lk)
                                guard keys > 0 else { continue }
                                let p = pBase + offsets[s] + h * lq * lk + i0 * lk
                                let dOut = outputGradient.base + (qRow + i0) * outputGradient.stride + column
                                let q = query.base + (qRow + i0) * query.stride + column
                                // dP = dO Vᵀ; dV += Pᵀ dO.
                                BLAS.gemm(transposeB: true, m: rows, n: keys, k: headDim, a: dOut,
                                          lda: outputGradient.stride, b: v, ldb: value.stride, c: dS, ldc: lk)
                                BLAS.gemm(transposeA: true, m: keys, n: headDim, k: rows, a: p, lda: lk,
                                          b: dOut, ldb: outputGradient.stride, beta: 1, c: dV, ldc: valueGradient.stride)
                                // dS = scale · P ⊙ (dP - rowsum(P ⊙ dP)); masked entries have P = 0.
                                for i in 0..<rows {
                                    let pRow = p + i * lk
                                    let dRow = dS + i * lk
                                    var dot: Float = 0
                                    for j in 0..<keys { dot += pRow[j] * dRow[j] }
                                    for j in 0..<keys { dRow[j] = scale * pRow[j] * (dRow[j] - dot) }
                                }
                                // dQ = dS K; dK += dSᵀ Q.
                                BLAS.gemm(m: rows, n: headDim, k: keys, a: dS, lda: lk, b: k, ldb: key.stride,
                                          c: queryGradient.base + (qRow + i0) * queryGradient.stride + column,
                                          ldc: queryGradient.stride)
                                BLAS.gemm(transposeA: true, m: keys, n: headDim, k: rows, a: dS, lda: lk, b: q,
                                          ldb: query.stride, beta: 1, c: dK, ldc: keyGradient.stride)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Which keys each query row sees: the causal mask, the prefix mask of `keyLimits`, or all.
    private struct Visibility {
        let causal: Bool
        let keyLimits: [Int32]?

        /// Keys visible to position `i` of the sequence whose first query row is `qRow`.
        func keys(qRow: Int, i: Int, keyLength: Int) -> Int {
            if causal { return i + 1 }
            guard let keyLimits else { return keyLength }
            return min(keyLength, Int(keyLimits[qRow + i]))
        }

        /// Keys a tile of `rows` queries from position `i0` multiplies against (the most any sees).
        func tileKeys(qRow: Int, i0: Int, rows: Int, keyLength: Int) -> Int {
            if causal { return i0 + rows }
            guard keyLimits != nil else { return keyLength }
            return (i0..<i0 + rows).map { keys(qRow: qRow, i: $0, keyLength: keyLength) }.max() ?? 0
        }
    }

    private var visibility: Visibility { Visibility(causal: causal, keyLimits: keyLimits) }
}
