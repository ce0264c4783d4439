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
/// Sequences are independent, so they are spread over cores in fixed chunks. The products of one
/// sequence and head are too small for BLAS to pay (and its threads would compete with those
/// chunks), so they run through `SIMDMatrixProduct` on the calling worker; `ReferenceAttention` in
/// the tests is the plain version they are checked against.
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

    /// Query rows per tile: the row block of `SIMDMatrixProduct`.
    static let tileRows = 4

    /// `destination[p·ld + j] = source[j·stride + p]` for `j < rows`, `p < columns` (a head's keys or
    /// values transposed to `[columns, ld]`), and zeros in columns `rows ..< ld`.
    private static func transpose(_ source: UnsafePointer<Float>, stride: Int, rows: Int, columns: Int,
                                  into destination: UnsafeMutablePointer<Float>, ld: Int) {
        for j in 0..<rows {
            let row = source + j * stride
            for p in 0..<columns { destination[p * ld + j] = row[p] }
        }
        if ld > rows {
            for p in 0..<columns { (destination + p * ld + rows).update(repeating: 0, count: ld - rows) }
        }
    }

    /// `count` rounded up to a multiple of 8 (a row of transposed keys or values, zero-padded, so
    /// score tiles are whole `SIMD8` columns).
    private static func padded(_ count: Int) -> Int { (count + 7) & ~7 }

    /// Writes head outputs into `output` (`[queryLayout.rowCount, heads·headDim]` view; padding rows
    /// untouched) and keeps the attention probabilities for `backward`.
    ///
    /// Per sequence and head, the keys are transposed once into a zero-padded `[headDim, keys]`
    /// scratch; then each tile of `tileRows` queries takes its scores against the keys it can see
    /// (`SIMDMatrixProduct`; the causal mask skips the upper triangle), one fused pass per row
    /// scales, masks and normalises them into the kept probabilities, and a second product against
    /// the values writes the output rows.
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
        // Every entry `backward` reads is written below (masked ones as zeros), so the buffer is
        // reused as it is: under the causal mask, a row's entries past its tile's last key are not.
        if probabilities.count != total { probabilities = [Float](repeating: 0, count: total) }
        let (heads, headDim, offsets) = (heads, headDim, offsets)
        let visibility = visibility
        let scale = 1 / Float(headDim).squareRoot()
        probabilities.withUnsafeMutableBufferPointer { probabilities in
            let pBase = probabilities.baseAddress
            Parallel.forEachChunk(count: queryLayout.count) { _, sequences in
                let widest = Self.padded(sequences.map { keyLayout.lengths[$0] }.max() ?? 0)
                let keysT = UnsafeMutablePointer<Float>.allocate(capacity: max(1, headDim * widest))
                let scores = UnsafeMutablePointer<Float>.allocate(capacity: max(1, Self.tileRows * widest))
                defer {
                    keysT.deallocate()
                    scores.deallocate()
                }
                for s in sequences {
                    let (lq, lk) = (queryLayout.lengths[s], keyLayout.lengths[s])
                    guard lq > 0, lk > 0, let pBase else { continue }
                    let (qRow, kRow) = (queryLayout.starts[s], keyLayout.starts[s])
                    let ld = Self.padded(lk)
                    for h in 0..<heads {
                        let column = h * headDim
                        Self.transpose(key.base + kRow * key.stride + column, stride: key.stride, rows: lk, columns: headDim,
                                       into: keysT, ld: ld)
                        let p = pBase + offsets[s] + h * lq * lk
                        for i0 in stride(from: 0, to: lq, by: Self.tileRows) {
                            let rows = min(Self.tileRows, lq - i0)
                            let keys = visibility.tileKeys(qRow: qRow, i0: i0, rows: rows, keyLength: lk)
                            guard keys > 0 else {
                                (p + i0 * lk).update(repeating: 0, count: rows * lk)
                                continue
                            }
                            SIMDMatrixProduct.multiply(m: rows, n: min(ld, Self.padded(keys)), k: headDim,
                                                       a: query.base + (qRow + i0) * query.stride + column,
                                                       aRowStride: query.stride, aColumnStride: 1, b: keysT, ldb: ld,
                                                       c: scores, ldc: ld, accumulate: false)
                            for i in 0..<rows {
                                VectorMath.maskedScaledSoftmax(scores + i * ld,
                                                               visible: visibility.keys(qRow: qRow, i: i0 + i, keyLength: lk),
                                                               scale: scale, into: p + (i0 + i) * lk,
                                                               count: visibility.writtenKeys(tileKeys: keys, keyLength: lk))
                            }
                            SIMDMatrixProduct.multiply(m: rows, n: headDim, k: keys, a: p + i0 * lk, aRowStride: lk,
                                                       aColumnStride: 1, b: value.base + kRow * value.stride + column,
                                                       ldb: value.stride,
                                                       c: output.base + (qRow + i0) * output.stride + column,
                                                       ldc: output.stride, accumulate: false)
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
    ///
    /// Per sequence and head: query tiles give dP = dO Vᵀ (values transposed once, as the keys in
    /// `forward`), dS = scale · P ⊙ (dP - rowsum(P ⊙ dP)) in one pass per row into a `[lq, lk]`
    /// scratch, and dQ = dS K; then tiles of `tileRows` keys take dV += Pᵀ dO and dK += dSᵀ Q over
    /// the query rows that can see them (from the key's own position on under the causal mask).
    public func backward(outputGradient: Operand, query: Operand, key: Operand, value: Operand,
                         queryGradient: MutableOperand, keyGradient: MutableOperand, valueGradient: MutableOperand) {
        let (heads, headDim, offsets, causal) = (heads, headDim, offsets, causal)
        let (queryLayout, keyLayout, visibility) = (queryLayout, keyLayout, visibility)
        let scale = 1 / Float(headDim).squareRoot()
        probabilities.withUnsafeBufferPointer { probabilities in
            let pBase = probabilities.baseAddress
            Parallel.forEachChunk(count: queryLayout.count) { _, sequences in
                let widest = Self.padded(sequences.map { keyLayout.lengths[$0] }.max() ?? 0)
                let largest = sequences.map { queryLayout.lengths[$0] * keyLayout.lengths[$0] }.max() ?? 0
                let valuesT = UnsafeMutablePointer<Float>.allocate(capacity: max(1, headDim * widest))
                let dP = UnsafeMutablePointer<Float>.allocate(capacity: max(1, Self.tileRows * widest))
                let dS = UnsafeMutablePointer<Float>.allocate(capacity: max(1, largest))
                defer {
                    valuesT.deallocate()
                    dP.deallocate()
                    dS.deallocate()
                }
                for s in sequences {
                    let (lq, lk) = (queryLayout.lengths[s], keyLayout.lengths[s])
                    guard lq > 0, lk > 0, let pBase else { continue }
                    let (qRow, kRow) = (queryLayout.starts[s], keyLayout.starts[s])
                    let ld = Self.padded(lk)
                    for h in 0..<heads {
                        let column = h * headDim
                        let k = key.base + kRow * key.stride + column
                        let v = value.base + kRow * value.stride + column
                        let q = query.base + qRow * query.stride + column
                        let dOut = outputGradient.base + qRow * outputGradient.stride + column
                        let p = pBase + offsets[s] + h * lq * lk
                        Self.transpose(v, stride: value.stride, rows: lk, columns: headDim, into: valuesT, ld: ld)
                        for i0 in stride(from: 0, to: lq, by: Self.tileRows) {
                            let rows = min(Self.tileRows, lq - i0)
                            let keys = visibility.tileKeys(qRow: qRow, i0: i0, rows: rows, keyLength: lk)
                            guard keys > 0 else {
                                (dS + i0 * lk).update(repeating: 0, count: rows * lk)
                                continue
                            }
                            SIMDMatrixProduct.multiply(m: rows, n: min(ld, Self.padded(keys)), k: headDim,
                                                       a: dOut + i0 * outputGradient.stride,
                                                       aRowStride: outputGradient.stride, aColumnStride: 1,
                                                       b: valuesT, ldb: ld, c: dP, ldc: ld, accumulate: false)
                            for i in 0..<rows {
                                let visible = visibility.keys(qRow: qRow, i: i0 + i, keyLength: lk)
                                Self.softmaxGradient(p + (i0 + i) * lk, dP + i * ld, visible: visible, scale: scale,
                                                     into: dS + (i0 + i) * lk,
                                                     count: visibility.writtenKeys(tileKeys: keys, keyLength: lk))
                            }
                            SIMDMatrixProduct.multiply(m: rows, n: headDim, k: keys, a: dS + i0 * lk, aRowStride: lk,
                                                       aColumnStride: 1, b: k, ldb: key.stride,
                                                       c: queryGradient.base + (qRow + i0) * queryGradient.stride + column,
                                                       ldc: queryGradient.stride, accumulate: false)
                        }
                        for j0 in stride(from: 0, to: lk, by: Self.tileRows) {
                            let first = causal ? j0 : 0
                            let keys = min(Self.tileRows, lk - j0)
                            SIMDMatrixProduct.multiply(m: keys, n: headDim, k: lq - first, a: p + first * lk + j0,
                                                       aRowStride: 1, aColumnStride: lk,
                                                       b: dOut + first * outputGradient.stride, ldb: outputGradient.stride,
                                                       c: valueGradient.base + (kRow + j0) * valueGradient.stride + column,
                                                       ldc: valueGradient.stride, accumulate: true)
                            SIMDMatrixProduct.multiply(m: keys, n: headDim, k: lq - first, a: dS + first * lk + j0,
                                                       aRowStride: 1, aColumnStride: lk, b: q + first * query.stride,
                                                       ldb: query.stride,
                                                       c: keyGradient.base + (kRow + j0) * keyGradient.stride + column,
                                                       ldc: keyGradient.stride, accumulate: true)
                        }
                    }
                }
            }
        }
    }

    /// The softmax's backward for one row: `dS[j] = scale · P[j] (dP[j] - Σ_{l<visible} P[l] dP[l])`
    /// for `j < visible`, zeros for `visible <= j < count`.
    @inline(__always)
    private static func softmaxGradient(_ p: UnsafePointer<Float>, _ dP: UnsafePointer<Float>, visible: Int, scale: Float,
                                        into dS: UnsafeMutablePointer<Float>, count: Int) {
        var dotVector = SIMD8<Float>()
        var j = 0
        while j + 8 <= visible {
            dotVector = dotVector.addingProduct(VectorMath.load(p + j), VectorMath.load(dP + j))
            j += 8
        }
        var dot = dotVector.sum()
        while j < visible {
            dot += p[j] * dP[j]
            j += 1
        }
        let factor = SIMD8<Float>(repeating: scale), shift = SIMD8<Float>(repeating: dot)
        j = 0
        while j + 8 <= visible {
            VectorMath.store(factor * VectorMath.load(p + j) * (VectorMath.load(dP + j) - shift), dS + j)
            j += 8
        }
        while j < visible {
            dS[j] = scale * p[j] * (dP[j] - dot)
            j += 1
        }
        if count > visible { (dS + visible).update(repeating: 0, count: count - visible) }
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

        /// Entries of a tile's rows of P and dS that must be written (masked ones as zeros), given
        /// its `tileKeys`: under the causal mask only those, since the key tiles of the backward
        /// pass read query rows from their own position on, whose tiles reach past the key tile;
        /// otherwise the whole row, as a key tile reads every query row.
        func writtenKeys(tileKeys: Int, keyLength: Int) -> Int { causal ? tileKeys : keyLength }
    }

    private var visibility: Visibility { Visibility(causal: causal, keyLimits: keyLimits) }
}
