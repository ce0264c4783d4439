/// Sampled softmax with the log-Q correction (Bengio & Senécal 2008; Yi et al. 2019, "Sampling-bias-
/// corrected neural modeling for large corpus item recommendations"): the softmax runs over the
/// positive and a few sampled negatives, each logit lowered by the log of the probability with
/// which its item was sampled, so that frequently sampled (popular) items are not over-penalised
/// and the estimate approaches the full softmax.
public enum SampledSoftmax {
    /// The mean over rows of `-log softmax(z - log Q)[0]`.
    ///
    /// - Parameters:
    ///   - logits: `[rows, candidates]`, column 0 the positive, the rest sampled negatives; replaced
    ///     by dLoss/dlogits (the correction is a constant shift, so this is also the gradient with
    ///     respect to the corrected logits).
    ///   - logSamplingProbabilities: `[rows, candidates]`, log Q of each candidate.
    ///   - candidates: row width, `1 + negatives`.
    public static func lossAndGradient(logits: UnsafeMutableBufferPointer<Float>,
                                       logSamplingProbabilities: UnsafeBufferPointer<Float>,
                                       candidates: Int) -> Double {
        precondition(logits.count == logSamplingProbabilities.count, "logits and log Q differ in size")
        precondition(candidates > 0 && logits.count % candidates == 0, "logits are not [rows, \(candidates)]")
        for i in logits.indices { logits[i] -= logSamplingProbabilities[i] }
        let rows = logits.count / candidates
        return SoftmaxCrossEntropy.lossAndGradient(logits: logits, classes: candidates,
                                                   targets: [Int32](repeating: 0, count: rows))
    }
}
