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
    /// - Returns: the summed loss over counted rows divided by `divisor` (0 when no row counts).
    public static func lossAndGradient(logits: UnsafeMutableBufferPointer<Float>, classes: Int,
                                       targets: [Int32], divisor: Int? = nil) -> Double {
        precondition(logits.count == targets.count * classes, "logits are not [\(targets.count), \(classes)]")
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
                for r in rows {
                    let row = base + r * classes
                    let target = Int(targets[r])
                    guard target >= 0 else {
                        row.update(repeating: 0, count: classes)
                        continue
                    }
                    precondition(target < classes, "target \(target) outside 0..<\(classes)")
                    let targetLogit = row[target]
                    let logPartition = VectorMath.softmaxInPlace(row, count: classes, scaledBy: scale)
                    sum += Double(logPartition - targetLogit)
                    row[target] -= scale
                }
                partials[chunk] = sum
            }
        }
        return partials.reduce(0, +) / Double(counted)
    }
}
