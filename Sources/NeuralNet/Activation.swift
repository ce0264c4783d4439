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

    /// √(2/π), 1/√2 and 1/√(2π), as literals so hot loops read no lazily initialised globals.
    static var geluScale: Float { 0.797_884_56 }
    static var inverseSquareRoot2: Float { 0.707_106_78 }
    static var inverseSquareRoot2Pi: Float { 0.398_942_28 }
}

/// The activation layer (ReLU or GELU): `y = f(x)` elementwise on any shape.
///
/// Large inputs are cut into chunks run on several cores (elementwise, so the result does not
/// depend on the chunking). Every function is evaluated eight lanes at a time
/// (`ActivationFunction.values` / `gradients`); the scalar `value` and `derivative` are the
/// reference they are tested against.
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
        return [Float](unsafeUninitializedCapacity: x.count) { y, initialized in
            x.withUnsafeBufferPointer { x in
                Self.apply(count: x.count) { range in
                    function.values(x.baseAddress! + range.lowerBound, y.baseAddress! + range.lowerBound, count: range.count)
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
                        function.gradients(x.baseAddress! + range.lowerBound, dy.baseAddress! + range.lowerBound,
                                           dx.baseAddress! + range.lowerBound, count: range.count)
                    }
                }
            }
            initialized = dy.count
        }
    }

    /// Runs `body` over `0..<count`, in parallel chunks when `count` is large.
    private static func apply(count: Int, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        if count < Parallel.elementwiseThreshold {
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

    /// f for eight lanes. The tanh GELU uses `0.5 (1 + tanh u) = σ(2u) = 1 / (1 + e^(-2u))` with the
    /// vectorised `exp`.
    @inline(__always)
    func value(_ x: SIMD8<Float>) -> SIMD8<Float> {
        switch self {
        case .relu: return x.replacing(with: 0, where: x .< 0)
        case .gelu: return x / (1 + VectorMath.exp(-2 * Self.geluArgument(x)))
        case .geluErf: return 0.5 * x * (1 + Self.erf(x * Self.inverseSquareRoot2))
        }
    }

    /// f' for eight lanes; for the tanh GELU, with s = σ(2u): `s + 2 x s (1 - s) u'(x)`.
    @inline(__always)
    func derivative(_ x: SIMD8<Float>) -> SIMD8<Float> {
        switch self {
        case .relu: return SIMD8<Float>(repeating: 0).replacing(with: 1, where: x .> 0)
        case .gelu:
            let s: SIMD8<Float> = 1 / (1 + VectorMath.exp(-2 * Self.geluArgument(x)))
            let slope: SIMD8<Float> = Self.geluScale * (1 + 0.134_145 * x * x)
            return s + 2 * x * s * (1 - s) * slope
        case .geluErf:
            let cumulative: SIMD8<Float> = 0.5 * (1 + Self.erf(x * Self.inverseSquareRoot2))
            let density: SIMD8<Float> = Self.inverseSquareRoot2Pi * VectorMath.exp(-0.5 * x * x)
            return cumulative + x * density
        }
    }

    /// `u = √(2/π)(x + 0.044715 x³)`, the tanh GELU's argument.
    @inline(__always)
    private static func geluArgument(_ x: SIMD8<Float>) -> SIMD8<Float> {
        geluScale * (x + 0.044715 * x * x * x)
    }

    /// `y[i] = f(x[i])` for `i < count`, eight lanes at a time.
    func values(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .relu: Self.map(x, y, count: count) { ActivationFunction.relu.value($0) }
        case .gelu: Self.map(x, y, count: count) { ActivationFunction.gelu.value($0) }
        case .geluErf: Self.map(x, y, count: count) { ActivationFunction.geluErf.value($0) }
        }
    }

    /// `dx[i] = dy[i] f'(x[i])` for `i < count`, eight lanes at a time.
    func gradients(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .relu: Self.map(x, dy, dx, count: count) { ActivationFunction.relu.derivative($0) * $1 }
        case .gelu: Self.map(x, dy, dx, count: count) { ActivationFunction.gelu.derivative($0) * $1 }
        case .geluErf: Self.map(x, dy, dx, count: count) { ActivationFunction.geluErf.derivative($0) * $1 }
        }
    }

    /// `y[i] = f(x[i])` lane-wise, the last partial vector through a zero-padded copy.
    @inline(__always)
    private static func map(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int,
                            _ f: (SIMD8<Float>) -> SIMD8<Float>) {
        var i = 0
        while i + 8 <= count {
            VectorMath.store(f(VectorMath.load(x + i)), y + i)
            i += 8
        }
        if i < count {
            var v = SIMD8<Float>()
            for j in 0..<count - i { v[j] = x[i + j] }
            let result = f(v)
            for j in 0..<count - i { y[i + j] = result[j] }
        }
    }

    /// `z[i] = f(x[i], y[i])` lane-wise, the last partial vector through zero-padded copies.
    @inline(__always)
    private static func map(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ z: UnsafeMutablePointer<Float>,
                            count: Int, _ f: (SIMD8<Float>, SIMD8<Float>) -> SIMD8<Float>) {
        var i = 0
        while i + 8 <= count {
            VectorMath.store(f(VectorMath.load(x + i), VectorMath.load(y + i)), z + i)
            i += 8
        }
        if i < count {
            var u = SIMD8<Float>(), v = SIMD8<Float>()
            for j in 0..<count - i {
                u[j] = x[i + j]
                v[j] = y[i + j]
            }
            let result = f(u, v)
            for j in 0..<count - i { z[i + j] = result[j] }
        }
    }
}
