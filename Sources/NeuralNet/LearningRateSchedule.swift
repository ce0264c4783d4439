import Foundation

/// The learning rate at each optimizer step: linear warm-up from 0 to `peak` over `warmupSteps`,
/// then constant, linear or cosine (Loshchilov & Hutter 2017, SGDR) decay to
/// `peak · finalFraction` at `totalSteps`.
public struct LearningRateSchedule: Codable, Equatable, Sendable {
    /// What happens after warm-up.
    public enum Decay: String, Codable, Sendable {
        /// Stay at `peak`.
        case constant
        /// Straight line down to `peak · finalFraction`.
        case linear
        /// Half a cosine down to `peak · finalFraction`.
        case cosine
    }

    /// The rate after warm-up.
    public var peak: Float
    /// Steps of linear warm-up (0 for none).
    public var warmupSteps: Int
    /// Step at which decay ends (later steps stay at the final rate).
    public var totalSteps: Int
    /// The decay shape.
    public var decay: Decay
    /// Final rate as a fraction of `peak`.
    public var finalFraction: Float

    /// A schedule; the defaults make it constant at `peak`.
    public init(peak: Float, warmupSteps: Int = 0, totalSteps: Int = 0, decay: Decay = .constant,
                finalFraction: Float = 0) {
        self.peak = peak
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
        self.decay = decay
        self.finalFraction = finalFraction
    }

    /// The rate for 0-based `step`: `peak · (step + 1) / warmupSteps` during warm-up, then the decay.
    public func rate(atStep step: Int) -> Float {
        if step < warmupSteps { return peak * Float(step + 1) / Float(warmupSteps) }
        let decaySteps = max(1, totalSteps - warmupSteps)
        let progress = Float(min(max(step - warmupSteps, 0), decaySteps)) / Float(decaySteps)
        switch decay {
        case .constant:
            return peak
        case .linear:
            return peak * (finalFraction + (1 - finalFraction) * (1 - progress))
        case .cosine:
            return peak * (finalFraction + (1 - finalFraction) * 0.5 * (1 + Float(cos(Double.pi * Double(progress)))))
        }
    }
}

/// Gradient clipping by global norm (Pascanu, Mikolov & Bengio 2013).
public enum GradientClipping {
    /// Scales every gradient by `maxNorm / norm` when the L2 norm over all of them exceeds
    /// `maxNorm`; returns the norm before clipping.
    @discardableResult
    public static func clipGlobalNorm(_ parameters: [Parameter], maxNorm: Float) -> Float {
        var squares = 0.0
        for parameter in parameters {
            for g in parameter.gradient { squares += Double(g) * Double(g) }
        }
        let norm = Float(squares.squareRoot())
        guard norm > maxNorm, norm > 0 else { return norm }
        let factor = maxNorm / norm
        for parameter in parameters {
            parameter.gradient.withUnsafeMutableBufferPointer { VectorMath.scale($0.baseAddress!, count: $0.count, by: factor) }
        }
        return norm
    }
}
