import Foundation
import NeuralNet
import SeededRandom

/// RQ-VAE: a residual-quantised autoencoder (Lee et al. 2022, "Autoregressive Image Generation
/// using Residual Quantization"), as TIGER uses it to turn item content embeddings into semantic
/// IDs (Rajput et al. 2023, "Recommender Systems with Generative Retrieval", §3.1: a DNN encoder
/// 768 → 512 → 256 → 128 → 32 latent, 3 levels of 256 codes, β = 0.25, k-means initialisation
/// on the first batch).
///
/// Shapes (row-major): items `x` `[n, inputDim]` → encoder MLP → latents `z` `[n, latentDim]` →
/// `ResidualVectorQuantizer` (codes `[n, levels]`, ẑ `[n, latentDim]`) → decoder MLP →
/// reconstruction `x̂` `[n, inputDim]`.
///
/// - Encoder: `inputDim → hiddenSizes[0] → … → latentDim`, Linear layers with ReLU between them
///   and none after the last (parameters `encoder.<i>.weight`, `encoder.<i>.bias`, i counting the
///   Linear layers only). Decoder mirrored: `latentDim → … reversed hiddenSizes … → inputDim`
///   (`decoder.<i>.*`). Codebooks `codebook.<l>` `[codebookSize, latentDim]`.
/// - Loss: `L = L_rec + L_q`, `L_rec = mean_over_batch Σ_dims (x − x̂)²`, `L_q` as in
///   `ResidualVectorQuantizer` (codebook + β·commitment, straight-through gradient to the encoder).
///
/// Inference (`latents`, `encode`, `decode`, `reconstruct`) works on a `let` model: it runs on
/// local copies of the layers (which share the parameters) in blocks of `inferenceBlockRows`, so
/// memory stays bounded on large catalogues and several threads may use one model at once.
/// Training is `RQVAE.train` (RQVAE+Training.swift).
///
/// `@unchecked Sendable`: the parameters are shared reference types, but inference only reads
/// them, so a trained model may be used from several threads at once; do not share a model while
/// `forward`/`backward`, training or `parameters.load` change it.
public struct RQVAE: @unchecked Sendable {
    /// Settings, with documented defaults (TIGER's architecture scaled to MiniLM's 384 inputs:
    /// 384 → 256 → 128 → 32).
    public struct Configuration: Codable, Equatable, Sendable {
        /// Widths of the encoder's hidden layers, input side first (decoder: reversed). Default [256, 128].
        public var hiddenSizes: [Int] = [256, 128]
        /// Width of the latent vectors that are quantised. Default 32 (TIGER).
        public var latentDim: Int = 32
        /// Codebooks, i.e. code positions per item (1...8). Default 3 (TIGER).
        public var levels: Int = 3
        /// Codes per codebook (2...65,536). Default 256 (TIGER).
        public var codebookSize: Int = 256
        /// β, the weight of the commitment term. Default 0.25 (Lee et al.; TIGER).
        public var commitmentWeight: Float = 0.25
        /// AdamW learning rate. Default 1e-3.
        public var learningRate: Float = 1e-3
        /// AdamW decoupled weight decay on the Linear weights (not biases, not codebooks). Default 1e-4.
        public var weightDecay: Float = 1e-4
        /// Items per optimizer step (the last batch of an epoch may be smaller). Default 1024 (TIGER).
        public var batchSize: Int = 1024
        /// Passes over the catalogue. Default 300 (900 AdamW steps on a 2,420-item catalogue such
        /// as Amazon Office): about 18 s for 2,420 × 384 in a release build on a 2-core machine
        /// (0.06 s an epoch; up to 30 s while other jobs share the cores). TIGER trains far longer
        /// (20k epochs); raise it when time allows.
        public var epochs: Int = 300
        /// Seed of the initial weights, shuffling, k-means and dead-code re-seeding.
        public var seed: UInt64 = 42

        /// The defaults above.
        public init() {}

        /// Every setting given, defaults for those left out.
        public init(hiddenSizes: [Int] = [256, 128], latentDim: Int = 32, levels: Int = 3, codebookSize: Int = 256,
                    commitmentWeight: Float = 0.25, learningRate: Float = 1e-3, weightDecay: Float = 1e-4,
                    batchSize: Int = 1024, epochs: Int = 300, seed: UInt64 = 42) {
            self.hiddenSizes = hiddenSizes
            self.latentDim = latentDim
            self.levels = levels
            self.codebookSize = codebookSize
            self.commitmentWeight = commitmentWeight
            self.learningRate = learningRate
            self.weightDecay = weightDecay
            self.batchSize = batchSize
            self.epochs = epochs
            self.seed = seed
        }

        /// Throws `SemanticIDError.invalidSetting` naming the first value outside its range.
        public func validate() throws {
            guard (2...65_536).contains(codebookSize) else {
                throw SemanticIDError.invalidSetting("the codebook size must lie in 2...65536, not \(codebookSize)")
            }
            guard (1...8).contains(levels) else { throw SemanticIDError.invalidSetting("levels must lie in 1...8, not \(levels)") }
            guard latentDim >= 1 else { throw SemanticIDError.invalidSetting("the latent width must be at least 1, not \(latentDim)") }
            if let width = hiddenSizes.first(where: { $0 < 1 }) {
                throw SemanticIDError.invalidSetting("hidden layer widths must be at least 1, not \(width)")
            }
            guard commitmentWeight.isFinite, commitmentWeight >= 0 else {
                throw SemanticIDError.invalidSetting("the commitment weight must be finite and non-negative, not \(commitmentWeight)")
            }
            guard learningRate.isFinite, learningRate > 0 else {
                throw SemanticIDError.invalidSetting("the learning rate must be finite and positive, not \(learningRate)")
            }
            guard weightDecay.isFinite, weightDecay >= 0 else {
                throw SemanticIDError.invalidSetting("the weight decay must be finite and non-negative, not \(weightDecay)")
            }
            guard batchSize >= 1 else { throw SemanticIDError.invalidSetting("the batch size must be at least 1, not \(batchSize)") }
            guard epochs >= 1 else { throw SemanticIDError.invalidSetting("epochs must be at least 1, not \(epochs)") }
        }
    }

    /// One training epoch, as `train` records it.
    public struct Epoch: Codable, Equatable, Sendable {
        /// 1-based epoch number.
        public var epoch: Int
        /// Mean over the epoch's items of `Σ_dims (x − x̂)²`.
        public var reconstructionLoss: Double
        /// Mean over the epoch's items of the quantisation loss `L_q` (codebook + β·commitment).
        public var quantizationLoss: Double
        /// Codes of each level that some item chose during the epoch, `[levels]`.
        public var usedCodes: [Int]
        /// Codes re-seeded after the epoch (unused ones; none after the last epoch).
        public var reseededCodes: Int
        /// Wall-clock seconds of the epoch (steps and re-seeding; the first one includes k-means).
        public var seconds: Double

        /// Reconstruction plus quantisation loss.
        public var totalLoss: Double { reconstructionLoss + quantizationLoss }
    }

    /// The settings the model was built with.
    public let configuration: Configuration
    /// Width of the item vectors.
    public let inputDim: Int
    var encoder: Perceptron
    var decoder: Perceptron
    var quantizer: ResidualVectorQuantizer
    /// What `train` recorded, one entry per epoch (empty for a model built or loaded otherwise).
    public internal(set) var trainingLog: [Epoch] = []

    /// Rows per block in the inference functions.
    public static let inferenceBlockRows = 4096

    /// A model with fresh weights drawn from `configuration.seed` (Xavier-uniform Linear weights,
    /// zero biases, N(0, 1/latentDim) codebooks).
    /// - Throws: `SemanticIDError.invalidSetting` for bad settings or `inputDim < 1`.
    public init(configuration: Configuration, inputDim: Int) throws {
        try configuration.validate()
        guard inputDim >= 1 else { throw SemanticIDError.invalidSetting("the input width must be at least 1, not \(inputDim)") }
        var random = SplitMix64(seed: configuration.seed, stream: Self.randomStream, RandomPurpose.initialWeights.rawValue)
        self.configuration = configuration
        self.inputDim = inputDim
        let widths = [inputDim] + configuration.hiddenSizes + [configuration.latentDim]
        encoder = Perceptron(name: "encoder", widths: widths, random: &random)
        decoder = Perceptron(name: "decoder", widths: widths.reversed(), random: &random)
        quantizer = ResidualVectorQuantizer(levels: configuration.levels, codebookSize: configuration.codebookSize,
                                            dim: configuration.latentDim, commitmentWeight: configuration.commitmentWeight,
                                            random: &random)
    }

    /// A model with the weights in `parameters` (as written by `safetensorsContents()`).
    /// - Throws: `SemanticIDError.invalidSetting` for bad settings, `SafetensorsError` when a
    ///   tensor is missing or has another shape.
    public init(configuration: Configuration, inputDim: Int, parameters: Safetensors.Contents) throws {
        try self.init(configuration: configuration, inputDim: inputDim)
        try self.parameters.load(parameters)
    }

    /// A model from a checkpoint written by `safetensorsContents()`, whose metadata carries the
    /// configuration and input width.
    /// - Throws: `SemanticIDError.invalidInput` when the metadata lacks them, else as above.
    public init(checkpoint contents: Safetensors.Contents) throws {
        guard let json = contents.metadata[Self.configurationKey], let inputText = contents.metadata[Self.inputDimKey],
              let inputDim = Int(inputText),
              let configuration = try? JSONDecoder().decode(Configuration.self, from: Data(json.utf8)) else {
            throw SemanticIDError.invalidInput("the checkpoint's metadata lacks an RQ-VAE configuration and input width")
        }
        try self.init(configuration: configuration, inputDim: inputDim, parameters: contents)
    }

    /// Every trainable parameter: encoder layers, decoder layers, then codebooks, in a fixed order.
    public var parameters: [Parameter] { encoder.parameters + decoder.parameters + quantizer.parameters }

    /// The trained codebooks, in latent space (`normalizesResiduals: false`).
    public var codebooks: ResidualCodebooks {
        ResidualCodebooks(dim: configuration.latentDim, centroids: quantizer.codebooks.map(\.value), normalizesResiduals: false)
    }

    /// The weights as safetensors tensors under their parameter names; the metadata holds the
    /// configuration (JSON) and input width, so `init(checkpoint:)` can rebuild the model.
    public func safetensorsContents() -> Safetensors.Contents {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: (try? encoder.encode(configuration)) ?? Data(), as: UTF8.self)
        return parameters.safetensorsContents(metadata: [Self.configurationKey: json, Self.inputDimKey: String(inputDim),
                                                         "format": "llmrec.rqvae"])
    }

    // MARK: Inference

    /// Encoder output `z` `[n, latentDim]` for items `points` `[n, inputDim]`.
    public func latents(_ points: [Float]) -> [Float] {
        precondition(points.count % inputDim == 0, "points of \(points.count) values are not [n, \(inputDim)]")
        return Self.blockwise(points, inputWidth: inputDim, outputWidth: configuration.latentDim) { block in
            var encoder = self.encoder
            return encoder.forward(block)
        }
    }

    /// Decoder output `[n, inputDim]` for latents `[n, latentDim]`.
    public func decode(_ latents: [Float]) -> [Float] {
        precondition(latents.count % configuration.latentDim == 0,
                     "latents of \(latents.count) values are not [n, \(configuration.latentDim)]")
        return Self.blockwise(latents, inputWidth: configuration.latentDim, outputWidth: inputDim) { block in
            var decoder = self.decoder
            return decoder.forward(block)
        }
    }

    /// Semantic IDs of `points` `[n, inputDim]`: `codebooks.encode(latents(points))` (the encoding's
    /// vectors are in latent space).
    public func encode(_ points: [Float]) -> ResidualCodebooks.Encoding {
        codebooks.encode(latents(points))
    }

    /// The decoder applied to the quantised latents ẑ = Σ_l e_l, `[n, inputDim]`.
    public func reconstruct(_ points: [Float]) -> [Float] {
        precondition(points.count % inputDim == 0, "points of \(points.count) values are not [n, \(inputDim)]")
        let codebooks = codebooks
        return Self.blockwise(points, inputWidth: inputDim, outputWidth: inputDim) { block in
            var encoder = self.encoder, decoder = self.decoder
            let z = encoder.forward(block)
            return decoder.forward(codebooks.decode(codebooks.encode(z).codes))
        }
    }

    // MARK: Training step (forward and backward)

    /// What `forward` computed for a batch.
    public struct ForwardResult {
        /// Encoder output z, `[B, latentDim]`.
        public var latents: [Float]
        /// The quantiser's output (ẑ `[B, latentDim]`, codes `[B, levels]`, per-level errors, L_q).
        public var quantization: ResidualVectorQuantizer.Output
        /// Decoder output x̂, `[B, inputDim]`.
        public var reconstruction: [Float]
        /// `L_rec = mean_over_batch Σ_dims (x − x̂)²`.
        public var reconstructionLoss: Float
        /// `L = L_rec + L_q`.
        public var loss: Float { reconstructionLoss + quantization.loss }
    }

    /// The training forward pass on `points` `[B, inputDim]`; keeps what `backward` needs.
    public mutating func forward(_ points: [Float]) -> ForwardResult {
        precondition(points.count % inputDim == 0 && !points.isEmpty, "points of \(points.count) values are not [B, \(inputDim)]")
        let z = encoder.forward(points)
        let quantization = quantizer.forward(z)
        let reconstruction = decoder.forward(quantization.quantized)
        var squaredError = 0.0
        for row in 0..<points.count / inputDim {
            var rowError: Float = 0
            for j in row * inputDim..<(row + 1) * inputDim {
                let difference = points[j] - reconstruction[j]
                rowError += difference * difference
            }
            squaredError += Double(rowError)
        }
        lastPoints = points
        lastReconstruction = reconstruction
        return ForwardResult(latents: z, quantization: quantization, reconstruction: reconstruction,
                             reconstructionLoss: Float(squaredError / Double(points.count / inputDim)))
    }

    /// Accumulates into every parameter's gradient the gradient of `L = L_rec + L_q` at the last
    /// `forward`: `dL/dx̂ = 2 (x̂ − x) / B` back through the decoder, straight through the quantiser
    /// (plus the commitment gradient), back through the encoder; codebooks get the codebook-loss
    /// gradient.
    public mutating func backward() {
        let rows = lastPoints.count / inputDim
        let scale = 2 / Float(rows)
        var dReconstruction = lastReconstruction
        for i in dReconstruction.indices { dReconstruction[i] = scale * (lastReconstruction[i] - lastPoints[i]) }
        let dQuantized = decoder.backward(dReconstruction)
        let dz = quantizer.backward(dQuantized)
        _ = encoder.backward(dz)
    }

    var lastPoints: [Float] = []
    var lastReconstruction: [Float] = []

    /// Empties what the last `forward` kept for `backward` (activations of every layer).
    mutating func dropTrainingCaches() {
        _ = encoder.forward([])
        _ = decoder.forward([])
        _ = quantizer.forward([])
        lastPoints = []
        lastReconstruction = []
    }

    // MARK: Helpers

    /// Stream key of every random draw ("rqvae").
    static let randomStream: UInt64 = 0x72_7176_6165
    /// The purposes random streams are drawn for, under `randomStream`.
    enum RandomPurpose: UInt64 {
        case initialWeights = 1, shuffle, kMeans, reseed
    }
    static let configurationKey = "rqvae.configuration"
    static let inputDimKey = "rqvae.inputDim"

    /// `transform` applied to blocks of `inferenceBlockRows` rows of `input` `[n, inputWidth]`,
    /// the results `[n, outputWidth]` concatenated.
    static func blockwise(_ input: [Float], inputWidth: Int, outputWidth: Int, _ transform: ([Float]) -> [Float]) -> [Float] {
        let n = input.count / inputWidth
        if n <= inferenceBlockRows { return n == 0 ? [] : transform(input) }
        var output = [Float]()
        output.reserveCapacity(n * outputWidth)
        var start = 0
        while start < n {
            let end = min(n, start + inferenceBlockRows)
            output += transform(Array(input[start * inputWidth..<end * inputWidth]))
            start = end
        }
        return output
    }
}

/// A multilayer perceptron: Linear layers `widths[0] → widths[1] → … → widths.last` with ReLU
/// between consecutive layers and none after the last. Input `[rows, widths[0]]`, output
/// `[rows, widths.last]`; parameters `<name>.<i>.weight` / `<name>.<i>.bias`.
struct Perceptron {
    var layers: [Linear]
    var activations: [Activation]

    init(name: String, widths: [Int], random: inout SplitMix64) {
        precondition(widths.count >= 2, "a perceptron needs an input and an output width")
        layers = (0..<widths.count - 1).map { index in
            Linear(name: "\(name).\(index)", inputSize: widths[index], outputSize: widths[index + 1], random: &random)
        }
        activations = Array(repeating: Activation(.relu), count: widths.count - 2)
    }

    var parameters: [Parameter] { layers.flatMap(\.parameters) }

    mutating func forward(_ x: [Float]) -> [Float] {
        var y = layers[0].forward(x)
        for index in 1..<layers.count {
            y = activations[index - 1].forward(y)
            y = layers[index].forward(y)
        }
        return y
    }

    mutating func backward(_ dy: [Float]) -> [Float] {
        var dx = dy
        for index in stride(from: layers.count - 1, through: 0, by: -1) {
            dx = layers[index].backward(dx)
            if index > 0 { dx = activations[index - 1].backward(dx) }
        }
        return dx
    }
}
