import Foundation

/// Adam with decoupled weight decay (Loshchilov & Hutter 2019, "Decoupled Weight Decay
/// Regularization"; Adam: Kingma & Ba 2015), step for step as PyTorch's `torch.optim.AdamW`:
///
///     p ← p − lr·λ·p                    (only parameters with `decays`)
///     m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²
///     p ← p − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
public struct AdamW {
    /// Exponential decay of the first moment.
    public var beta1: Float
    /// Exponential decay of the second moment.
    public var beta2: Float
    /// Added to the denominator.
    public var epsilon: Float
    /// Decoupled weight decay λ (multiplied by the learning rate).
    public var weightDecay: Float
    /// Steps taken so far (t).
    public private(set) var stepCount = 0
    private var firstMoments: [[Float]] = []
    private var secondMoments: [[Float]] = []

    /// An optimizer with PyTorch's defaults unless given.
    public init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0.01) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    /// One update of every parameter from its accumulated gradient at `learningRate`; the moments
    /// are kept per position in `parameters`, so pass the same parameters in the same order each step.
    public mutating func step(_ parameters: [Parameter], learningRate: Float) {
        if firstMoments.isEmpty {
            firstMoments = parameters.map { [Float](repeating: 0, count: $0.count) }
            secondMoments = firstMoments
        }
        precondition(firstMoments.count == parameters.count, "parameters changed between steps")
        stepCount += 1
        let correction1 = 1 - Float(pow(Double(beta1), Double(stepCount)))
        let correction2 = 1 - Float(pow(Double(beta2), Double(stepCount)))
        let (beta1, beta2, epsilon) = (beta1, beta2, epsilon)
        for (index, parameter) in parameters.enumerated() {
            let decay = parameter.decays ? 1 - learningRate * weightDecay : 1
            parameter.gradient.withUnsafeBufferPointer { g in
                parameter.value.withUnsafeMutableBufferPointer { p in
                    firstMoments[index].withUnsafeMutableBufferPointer { m in
                        secondMoments[index].withUnsafeMutableBufferPointer { v in
                            for i in 0..<p.count {
                                m[i] = beta1 * m[i] + (1 - beta1) * g[i]
                                v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
                                let denominator = (v[i] / correction2).squareRoot() + epsilon
                                p[i] = p[i] * decay - learningRate * (m[i] / correction1) / denominator
                            }
                        }
                    }
                }
            }
        }
    }
}
