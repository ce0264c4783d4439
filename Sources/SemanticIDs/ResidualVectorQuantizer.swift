import NeuralNet
import SeededRandom

/// The trainable residual vector quantiser of RQ-VAE (Lee et al. 2022, "Autoregressive Image
/// Generation using Residual Quantization"; the tokenizer of TIGER, Rajput et al. 2023,
/// "Recommender Systems with Generative Retrieval", §3.1), with explicit forward and backward.
///
/// `levels` codebooks `C_l` (`[codebookSize, dim]` each, row-major, parameters `codebook.<l>`,
/// not weight-decayed) quantise a batch of latents `z` `[B, dim]` level by level:
///
///     r_0 = z,   c_l = argmin_k ‖r_l − C_l[k]‖²  (NearestCentroid, ties to the lower index),
///     e_l = C_l[c_l],   r_{l+1} = r_l − e_l,   ẑ = Σ_l e_l.
///
/// Loss (the VQ-VAE loss of van den Oord et al. 2017 summed over levels, as in Lee et al. and
/// TIGER), with `sg` the stop-gradient and β the commitment weight:
///
///     L_q = Σ_l mean_over_batch( ‖sg(r_l) − e_l‖² + β ‖r_l − sg(e_l)‖² ),
///
/// norms summed over the `dim` components. Its value is `(1 + β) Σ_l mean ‖r_l − e_l‖²`.
///
/// Gradients (what `backward` computes, and what the gradient tests check):
/// - Straight-through estimator (van den Oord et al. 2017): the decoder reads `z + sg(ẑ − z)`,
///   whose value is ẑ and whose gradient passes to z unchanged, so `dL/dz ⊇ dL/dẑ`.
/// - Codebook term: `dL/dC_l[c_l] += 2 (e_l − r_l) / B` per row; nothing else reaches a codebook.
/// - Commitment term: `dL/dz += 2β (r_l − e_l) / B` per level.
/// - **Residuals are detached from earlier codebooks**: level `l`'s terms see
///   `r_l = z − Σ_{j<l} sg(e_j)`, so a later level's commitment loss moves the encoder output z
///   but not the codebooks of earlier levels (as in lucidrains' `ResidualVQ`, which subtracts
///   `quantized.detach()` from the residual). Each codebook is pulled only towards the residuals
///   assigned to it, which is k-means' update in gradient form.
public struct ResidualVectorQuantizer {
    /// Width of the vectors quantised (the RQ-VAE's latent width).
    public let dim: Int
    /// Codes per codebook (K).
    public let codebookSize: Int
    /// β, the weight of the commitment term.
    public let commitmentWeight: Float
    /// One `[codebookSize, dim]` parameter per level, named `codebook.<level>`, not decayed.
    public let codebooks: [Parameter]

    /// What `forward` produced for a batch.
    public struct Output {
        /// ẑ = Σ_l e_l, `[B, dim]` (the value the decoder reads; its gradient goes straight to z).
        public var quantized: [Float]
        /// `[B, levels]` codes, row-major (the layout of `SemanticIDCodes`).
        public var codes: [Int32]
        /// `mean_over_batch ‖r_l − e_l‖²` per level, `[levels]`.
        public var levelErrors: [Float]
        /// The quantisation loss `L_q = (1 + β) Σ_l levelErrors[l]`.
        public var loss: Float
    }

    // Kept by `forward` for `backward`: r_l per level (`[B, dim]` each) and c_l (`[B]` each).
    private var residuals: [[Float]] = []
    private var assignments: [[Int32]] = []
    private var rows = 0

    /// A quantiser over existing codebook parameters (each `[codebookSize, dim]`, same shape).
    public init(codebooks: [Parameter], commitmentWeight: Float) {
        precondition(!codebooks.isEmpty && codebooks[0].shape.count == 2, "a quantiser needs at least one [K, dim] codebook")
        precondition(codebooks.allSatisfy { $0.shape == codebooks[0].shape }, "every codebook must have the same shape")
        self.codebooks = codebooks
        self.codebookSize = codebooks[0].shape[0]
        self.dim = codebooks[0].shape[1]
        self.commitmentWeight = commitmentWeight
    }

    /// `levels` codebooks of `codebookSize` codes drawn from N(0, 1/dim) (training replaces them
    /// by k-means centroids before the first step).
    public init(levels: Int, codebookSize: Int, dim: Int, commitmentWeight: Float, random: inout SplitMix64) {
        precondition(levels >= 1 && codebookSize >= 1 && dim >= 1, "levels, codebook size and width must be positive")
        let codebooks = (0..<levels).map { level in
            Parameter(name: "codebook.\(level)", shape: [codebookSize, dim],
                      value: Initializer.normal(standardDeviation: 1 / Float(dim).squareRoot())
                          .values(count: codebookSize * dim, random: &random),
                      decays: false)
        }
        self.init(codebooks: codebooks, commitmentWeight: commitmentWeight)
    }

    /// Number of levels (codebooks).
    public var levels: Int { codebooks.count }

    /// The codebooks' parameters.
    public var parameters: [Parameter] { codebooks }

    /// The residual `r_l` `[B, dim]` of every level at the last `forward` (`[levels][B·dim]`);
    /// training re-seeds dead codes from these.
    public var lastResiduals: [[Float]] { residuals }

    /// Quantises `z` `[B, dim]` level by level; keeps the residuals and codes for `backward`.
    ///
    /// The arithmetic (residual updates, the sum ẑ from zero in level order) is the same as
    /// `ResidualCodebooks.encode` / `decode`, so the codes and ẑ match them bit for bit.
    public mutating func forward(_ z: [Float]) -> Output {
        precondition(z.count % dim == 0, "latents of \(z.count) values are not [B, \(dim)]")
        let rows = z.count / dim
        self.rows = rows
        residuals = []
        assignments = []
        residuals.reserveCapacity(levels)
        var residual = z
        var quantized = [Float](repeating: 0, count: z.count)
        var codes = [Int32](repeating: 0, count: rows * levels)
        var levelErrors = [Float]()
        for level in 0..<levels {
            residuals.append(residual)
            let codebook = codebooks[level].value
            let (chosen, _) = residual.withUnsafeBufferPointer { points in
                codebook.withUnsafeBufferPointer { NearestCentroid.assign(points: points, centroids: $0, dim: dim) }
            }
            assignments.append(chosen)
            var squaredError = 0.0
            for row in 0..<rows {
                let code = Int(chosen[row])
                codes[row * levels + level] = Int32(code)
                var rowError: Float = 0
                for j in 0..<dim {
                    let e = codebook[code * dim + j]
                    residual[row * dim + j] -= e
                    quantized[row * dim + j] += e
                    rowError += residual[row * dim + j] * residual[row * dim + j]
                }
                squaredError += Double(rowError)
            }
            levelErrors.append(Float(squaredError / Double(max(rows, 1))))
        }
        let loss = (1 + commitmentWeight) * levelErrors.reduce(0, +)
        return Output(quantized: quantized, codes: codes, levelErrors: levelErrors, loss: loss)
    }

    /// Given `dL/dẑ` `[B, dim]` (from the decoder), returns `dL/dz` `[B, dim]`: `dQuantized`
    /// passed straight through, plus `lossWeight` times the commitment gradient
    /// `Σ_l 2β (r_l − e_l) / B`; accumulates `lossWeight · 2 (e_l − r_l) / B` into the chosen rows
    /// of each codebook's gradient. With `lossWeight` 0 the result is `dQuantized` exactly and no
    /// codebook gradient is touched (the straight-through part alone).
    public mutating func backward(_ dQuantized: [Float], lossWeight: Float = 1) -> [Float] {
        precondition(dQuantized.count == rows * dim, "gradient of \(dQuantized.count) values, expected [\(rows), \(dim)]")
        var dz = dQuantized
        guard lossWeight != 0, rows > 0 else { return dz }
        let scale = lossWeight * 2 / Float(rows)
        let commitment = scale * commitmentWeight
        for level in 0..<levels {
            let codebook = codebooks[level].value
            let residual = residuals[level]
            let chosen = assignments[level]
            codebooks[level].gradient.withUnsafeMutableBufferPointer { gradient in
                for row in 0..<rows {
                    let code = Int(chosen[row])
                    for j in 0..<dim {
                        let difference = residual[row * dim + j] - codebook[code * dim + j]  // r_l − e_l
                        dz[row * dim + j] += commitment * difference
                        gradient[code * dim + j] -= scale * difference
                    }
                }
            }
        }
        return dz
    }
}
