/// Softmax cross-entropy over all classes (for SASRec, the full item catalogue; the stronger
/// objective per Klenitskiy & Vasilev 2023, "Turning Dross Into Gold Loss: is BERT4Rec really
/// better than SASRec?").
///
/// Rows are independent, so they are spread over cores in fixed chunks; per-chunk losses are summed
/// in chunk order, so the result does not depend on the core count.
public enum SoftmaxCrossEntropy {
    /// The mean over rows with a target of `-log softmax(logits[row])[target]`.
    ///
    /// - Parameters:
    ///   - logits: `[rows, classes]`, row-major; replaced by dLoss/dlogits
    ///     (`(softmax - onehot) / divisor`, zero for ignored rows).
    ///   - classes: row width.
    ///   - targets: `[rows]`; a negative target marks a row to ignore (padding).
    ///   - divisor: what the summed loss is divided by; by default the number of counted rows.
    ///     A larger batch processed in row blocks passes its total so the blocks add up to its mean.
    ///   - allowedClasses: per row (`[rows]`), the distinct classes its softmax runs over, which
    ///     must include the row's target; every other class gets probability and gradient exactly
    ///     0 (TIGER's trie-constrained levels). Nil: every class.
    /// - Returns: the summed loss over counted rows divided by `divisor` (0 when no row counts).
    public static func lossAndGradient(logits: UnsafeMutableBufferPointer<Float>, classes: Int,
                                       targets: [Int32], divisor: Int? = nil,
                                       allowedClasses: [ArraySlice<Int32>]? = nil) -> Double {
        precondition(logits.count == targets.count * classes, "logits are not [\(targets.count), \(classes)]")
        precondition(allowedClasses.map { $0.count == targets.count } ?? true, "allowedClasses is not [\(targets.count)]")
        let counted = divisor ?? targets.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) }
        guard counted > 0, let base = logits.baseAddress else {
            logits.update(repeating: 0)
            return 0
        }
        let scale = 1 / Float(counted)
        var partials = [Double](repeating: 0, count: Parallel.defaultChunkCount)
        partials.withUnsafeMutableBufferPointer { partials in
            Parallel.forEachChunk(count: targets.count) { chunk, rows in
                var sum = 0.0
                var allowedLogits = allowedClasses == nil ? [] : [Float](repeating: 0, count: classes)
                for r in rows {
                    let row = base + r * classes
                    let target = Int(targets[r])
                    guard target >= 0 else {
                        row.update(repeating: 0, count: classes)
                        continue
                    }
                    precondition(target < classes, "target \(target) outside 0..<\(classes)")
                    let targetLogit = row[target]
                    if let allowed = allowedClasses?[r] {
                        sum += Double(restrictedSoftmax(row, classes: classes, allowed: allowed, target: target,
                                                        scale: scale, scratch: &allowedLogits) - targetLogit)
                    } else {
                        sum += Double(VectorMath.softmaxInPlace(row, count: classes, scaledBy: scale) - targetLogit)
                    }
                    row[target] -= scale
                }
                partials[chunk] = sum
            }
        }
        return partials.reduce(0, +) / Double(counted)
    }

    /// Replaces `row[0..<classes]` by `scale · softmax` over the `allowed` classes only (0 for the
    /// rest) and returns their log-partition; `scratch` holds at least `allowed.count` floats.
    private static func restrictedSoftmax(_ row: UnsafeMutablePointer<Float>, classes: Int, allowed: ArraySlice<Int32>,
                                          target: Int, scale: Float, scratch: inout [Float]) -> Float {
        precondition(allowed.contains(Int32(target)), "target \(target) is not among the row's allowed classes")
        return scratch.withUnsafeMutableBufferPointer { scratch in
            for (k, c) in allowed.enumerated() { scratch[k] = row[Int(c)] }
            let logPartition = VectorMath.softmaxInPlace(scratch.baseAddress!, count: allowed.count, scaledBy: scale)
            row.update(repeating: 0, count: classes)
            for (k, c) in allowed.enumerated() { row[Int(c)] = scratch[k] }
            return logPartition
        }
    }
}
