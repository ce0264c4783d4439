import Foundation

/// A pointwise nonlinearity.
public enum ActivationFunction: String, Codable, Sendable, CaseIterable {
    /// `max(0, x)` (SASRec's feed-forward network, Kang & McAuley 2018).
    case relu
    /// The Gaussian error linear unit `x Φ(x)` (Hendrycks & Gimpel 2016), in its tanh form
    /// `0.5 x (1 + tanh(√(2/π)(x + 0.044715 x³)))` as in BERT and GPT-2.
    case gelu
    /// The exact Gaussian error linear unit `x Φ(x) = 0.5 x (1 + erf(x / √2))` (Hendrycks & Gimpel
    /// 2016): what Hugging Face BERT checkpoints call `"gelu"` (all-MiniLM-L6-v2 among them).
    /// Derivative `Φ(x) + x φ(x)`.
    case geluErf

    /// f(x).
    @inline(__always)
    public func value(_ x: Float) -> Float {
        switch self {
        case .relu: return x > 0 ? x : 0
        case .gelu: return 0.5 * x * (1 + tanh(Self.geluScale * (x + 0.044715 * x * x * x)))
        case .geluErf: return 0.5 * x * (1 + Foundation.erf(x * Self.inverseSquareRoot2))
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
        case .geluErf:
            return 0.5 * (1 + Foundation.erf(x * Self.inverseSquareRoot2)) + x * Self.inverseSquareRoot2Pi * Foundation.exp(-0.5 * x * x)
        }
    }

    private static let geluScale: Float = (2 / Float.pi).squareRoot()
    private static let inverseSquareRoot2: Float = 1 / Float(2).squareRoot()
    private static let inverseSquareRoot2Pi: Float = 1 / (2 * Float.pi).squareRoot()
}

/// The activation layer (ReLU or GELU): `y = f(x)` elementwise on any shape.
///
/// Large inputs are cut into chunks run on several cores (elementwise, so the result does not
/// depend on the chunking); the exact GELU is evaluated eight lanes at a time with a rational
/// `erf` approximation (`ActivationFunction.erf(_:)`, absolute error below 1e-6).
public struct Activation {
    /// Which nonlinearity.
    public let function: ActivationFunction
    private var input: [Float] = []

    /// A layer applying `function`.
    public init(_ function: ActivationFunction) {
        self.function = function
    }

    /// Inputs at least this long are split over cores.
    static let parallelThreshold = 1 << 16

    /// `f(x)` elementwise; keeps `x` for `backward`.
    public mutating func forward(_ x: [Float]) -> [Float] {
        input = x
        let function = function
        return [Float](unsafeUninitializedCapacity: x.count) { y, initialized in
            x.withUnsafeBufferPointer { x in
                Self.apply(count: x.count) { range in
                    switch function {
                    case .geluErf: ActivationFunction.geluErfValues(x.baseAddress! + range.lowerBound,
                                                                    y.baseAddress! + range.lowerBound, count: range.count)
                    default: for i in range { y[i] = function.value(x[i]) }
                    }
                }
            }
            initialized = x.count
        }
    }

    /// dLoss/dx = dy ⊙ f'(x).
    public mutating func backward(_ dy: [Float]) -> [Float] {
        precondition(dy.count == input.count, "gradient does not match the last forward")
        let function = function
        return [Float](unsafeUninitializedCapacity: dy.count) { dx, initialized in
            dy.withUnsafeBufferPointer { dy in
                input.withUnsafeBufferPointer { x in
                    Self.apply(count: x.count) { range in
                        switch function {
                        case .geluErf:
                            ActivationFunction.geluErfGradients(x.baseAddress! + range.lowerBound, dy.baseAddress! + range.lowerBound,
                                                                dx.baseAddress! + range.lowerBound, count: range.count)
                        default: for i in range { dx[i] = dy[i] * function.derivative(x[i]) }
                        }
                    }
                }
            }
            initialized = dy.count
        }
    }

    /// Runs `body` over `0..<count`, in parallel chunks when `count` is large.
    private static func apply(count: Int, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        if count < parallelThreshold {
            body(0..<count)
        } else {
            Parallel.forEachChunk(count: count) { _, range in body(range) }
        }
    }
}

extension ActivationFunction {
    /// `erf(x)` for eight lanes: `x · P(x²) / Q(x²)` on `x` clamped to `[-4, 4]` (the rational
    /// approximation of Eigen and XLA; absolute error below 1e-6, and `erf(±4)` is 1 to 2e-8).
    @inline(__always)
    public static func erf(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let bound = SIMD8<Float>(repeating: 4)
        let clamped = x.replacing(with: bound, where: x .> bound).replacing(with: -bound, where: x .< -bound)
        let x2 = clamped * clamped
        var p = SIMD8<Float>(repeating: -2.726_142_258_013_06e-10)
        p = p * x2 + 2.770_681_424_959_02e-08
        p = p * x2 - 2.101_024_020_825_08e-06
        p = p * x2 - 5.692_506_394_623_46e-05
        p = p * x2 - 7.349_906_303_268_55e-04
        p = p * x2 - 2.954_599_808_540_25e-03
        p = p * x2 - 1.609_603_332_624_15e-02
        var q = SIMD8<Float>(repeating: -1.456_607_184_649_96e-05)
        q = q * x2 - 2.133_740_552_789_05e-04
        q = q * x2 - 1.682_826_974_382_03e-03
        q = q * x2 - 7.373_329_167_204_68e-03
        q = q * x2 - 1.426_473_905_141_89e-02
        return clamped * p / q
    }

    /// `y[i] = 0.5 x[i] (1 + erf(x[i] / √2))` for `i < count`, eight lanes at a time.
    static func geluErfValues(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        let scale = SIMD8<Float>(repeating: inverseSquareRoot2)
        var i = 0
        while i + 8 <= count {
            let v = VectorMath.load(x + i)
            VectorMath.store(0.5 * v * (1 + erf(v * scale)), y + i)
            i += 8
        }
        if i < count {
            var v = SIMD8<Float>()
            for j in 0..<count - i { v[j] = x[i + j] }
            let result = 0.5 * v * (1 + erf(v * scale))
            for j in 0..<count - i { y[i + j] = result[j] }
        }
    }

    /// `dx[i] = dy[i] (Φ(x[i]) + x[i] φ(x[i]))` for `i < count`, eight lanes at a time.
    static func geluErfGradients(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                                 count: Int) {
        let scale = SIMD8<Float>(repeating: inverseSquareRoot2)
        let density = SIMD8<Float>(repeating: inverseSquareRoot2Pi)
        @inline(__always) func derivative(_ v: SIMD8<Float>) -> SIMD8<Float> {
            0.5 * (1 + erf(v * scale)) + v * density * VectorMath.exp(-0.5 * v * v)
        }
        var i = 0
        while i + 8 <= count {
            VectorMath.store(VectorMath.load(dy + i) * derivative(VectorMath.load(x + i)), dx + i)
            i += 8
        }
        if i < count {
            var v = SIMD8<Float>()
            for j in 0..<count - i { v[j] = x[i + j] }
            let result = derivative(v)
            for j in 0..<count - i { dx[i + j] = dy[i + j] * result[j] }
        }
    }
}
