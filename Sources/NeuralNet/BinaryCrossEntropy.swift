import Foundation

/// Binary cross-entropy with sampled negatives, SASRec's original objective (Kang & McAuley 2018,
/// eq. 3): each position's next item is a positive, and randomly drawn items it did not interact
/// with are negatives.
public enum BinaryCrossEntropy {
    /// `mean_rows [-log σ(pos)] + mean_rows Σ_k [-log(1 - σ(neg_k))]`, computed stably as softplus.
    ///
    /// - Parameters:
    ///   - positiveLogits: `[rows]`; replaced by dLoss/dpositive = (σ(pos) - 1) / rows.
    ///   - negativeLogits: `[rows, negativesPerRow]`; replaced by dLoss/dnegative = σ(neg) / rows.
    /// - Returns: the loss (0 for no rows).
    public static func lossAndGradient(positiveLogits: UnsafeMutableBufferPointer<Float>,
                                       negativeLogits: UnsafeMutableBufferPointer<Float>) -> Double {
        let rows = positiveLogits.count
        guard rows > 0 else { return 0 }
        precondition(negativeLogits.count % rows == 0, "negatives are not [\(rows), k]")
        let scale = 1 / Float(rows)
        var loss = 0.0
        for i in positiveLogits.indices {
            let x = positiveLogits[i]
            loss += Double(softplus(-x))
            positiveLogits[i] = (sigmoid(x) - 1) * scale
        }
        for i in negativeLogits.indices {
            let x = negativeLogits[i]
            loss += Double(softplus(x))
            negativeLogits[i] = sigmoid(x) * scale
        }
        return loss / Double(rows)
    }

    /// `log(1 + eˣ)` without overflow.
    static func softplus(_ x: Float) -> Float {
        x > 0 ? x + log1p(exp(-x)) : log1p(exp(x))
    }

    /// `1 / (1 + e⁻ˣ)`.
    static func sigmoid(_ x: Float) -> Float {
        1 / (1 + exp(-x))
    }
}
