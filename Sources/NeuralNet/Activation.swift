import Foundation

/// A pointwise nonlinearity.
public enum ActivationFunction: String, Codable, Sendable, CaseIterable {
    /// `max(0, x)` (SASRec's feed-forward network, Kang & McAuley 2018).
    case relu
    /// The Gaussian error linear unit `x Φ(x)` (Hendrycks & Gimpel 2016), in its tanh form
    /// `0.5 x (1 + tanh(√(2/π)(x + 0.044715 x³)))` as in BERT and GPT-2.
    case gelu

    /// f(x).
    @inline(__always)
    public func value(_ x: Float) -> Float {
        switch self {
        case .relu: return x > 0 ? x : 0
        case .gelu: return 0.5 * x * (1 + tanh(Self.geluScale * (x + 0.044715 * x * x * x)))
        }
    }

    /// f'(x).
    @inline(__always)
    public func derivative(_ x: Float) -> Float {
        switch self {
        case .relu: return x > 0 ? 1 : 0
        case .gelu:
            let u = Self.geluScale * (x + 0.044715 * x * x * x)
            let t = tanh(u)
            return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * Self.geluScale * (1 + 3 * 0.044715 * x * x)
        }
    }

    private static let geluScale: Float = (2 / Float.pi).squareRoot()
}

/// The activation layer (ReLU or GELU): `y = f(x)` elementwise on any shape.
public struct Activation {
    /// Which nonlinearity.
    public let function: ActivationFunction
    private var input: [Float] = []

    /// A layer applying `function`.
    public init(_ function: ActivationFunction) {
        self.function = function
    }

    /// `f(x)` elementwise; keeps `x` for `backward`.
    public mutating func forward(_ x: [Float]) -> [Float] {
        input = x
        let function = function
        return x.map { function.value($0) }
    }

    /// dLoss/dx = dy ⊙ f'(x).
    public mutating func backward(_ dy: [Float]) -> [Float] {
        precondition(dy.count == input.count, "gradient does not match the last forward")
        let function = function
        return zip(dy, input).map { $0 * function.derivative($1) }
    }
}
