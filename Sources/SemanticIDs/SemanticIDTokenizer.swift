import Foundation

/// The quantiser that turns item vectors into semantic IDs.
public enum SemanticIDMethod: String, Codable, CaseIterable, Sendable {
    /// Residual k-means on the standardised vectors (`ResidualKMeans`).
    case residualKMeans = "rkmeans"
    /// An RQ-VAE: an MLP encoder to a small latent, residual codebooks trained with it (`RQVAE`).
    case rqvae
}

/// A fitted item tokenizer (TIGER's "semantic ID generation", Rajput et al. 2023, §3.1): item
/// vectors `[n, dim]` → standardisation → (RQ-VAE encoder) → residual codebooks → codes made
/// unique. It keeps everything needed to code a new item the same way (`appendItem`).
public struct SemanticIDTokenizer: Sendable {
    /// Settings, with documented defaults.
    public struct Configuration: Codable, Equatable, Sendable {
        /// The quantiser.
        public var method: SemanticIDMethod = .residualKMeans
        /// Quantiser levels (TIGER: 3).
        public var levels: Int = 3
        /// Codes per level (TIGER: 256).
        public var codebookSize: Int = 256
        /// How colliding items are told apart; `extraLevel` (TIGER's) until the generative ranker
        /// measures which serves it better.
        public var unique: UniqueCodeStrategy = .extraLevel
        /// Residual k-means only: scale each level's input to unit length.
        public var normalizesResiduals: Bool = false
        /// Seed of every random choice.
        public var seed: UInt64 = 42
        /// RQ-VAE training epochs (nil: `RQVAE.Configuration`'s default).
        public var rqvaeEpochs: Int? = nil

        /// The defaults above.
        public init() {}

        /// A short key naming these settings, part of the stored artefact's name:
        /// `rkmeans-l3-k256-extra-level-s42` (`-norm` when residuals are normalised).
        public var key: String {
            var key = "\(method.rawValue)-l\(levels)-k\(codebookSize)-\(unique.rawValue)-s\(seed)"
            if method == .residualKMeans, normalizesResiduals { key += "-norm" }
            if method == .rqvae, let rqvaeEpochs { key += "-e\(rqvaeEpochs)" }
            return key
        }

        /// Throws `SemanticIDError.invalidSetting` for values outside their ranges, or when `n`
        /// items of `dim` values cannot take these settings.
        public func validate(items n: Int, dim: Int) throws {
            guard (2...65_536).contains(codebookSize) else {
                throw SemanticIDError.invalidSetting("the codebook size must lie in 2...65536, not \(codebookSize)")
            }
            guard (1...8).contains(levels) else { throw SemanticIDError.invalidSetting("levels must lie in 1...8, not \(levels)") }
            guard method != .residualKMeans || levels <= dim else {
                throw SemanticIDError.invalidSetting("\(levels) levels of residual k-means on \(dim)-dimensional vectors: at most \(dim) levels carry information")
            }
            guard n >= codebookSize else {
                throw SemanticIDError.invalidSetting("a codebook of \(codebookSize) codes needs at least \(codebookSize) items, the catalogue has \(n); choose a smaller --codebook-size")
            }
            if let rqvaeEpochs, rqvaeEpochs < 1 { throw SemanticIDError.invalidSetting("RQ-VAE epochs must be at least 1") }
        }
    }

    /// The settings it was fitted with.
    public let configuration: Configuration
    /// Column statistics of the training vectors.
    public let standardization: Standardization
    /// The residual codebooks (over standardised vectors, or over RQ-VAE latents).
    public let codebooks: ResidualCodebooks
    /// The trained RQ-VAE (method `rqvae` only): its encoder maps standardised vectors to the
    /// latents `codebooks` quantise.
    public let rqvae: RQVAE?
    /// The quantiser's codes before de-duplication, `[n, levels]`.
    public private(set) var rawCodes: SemanticIDCodes
    /// The unique codes, `[n, levels]` (balanced) or `[n, levels + 1]` (extra level).
    public private(set) var codes: SemanticIDCodes
    /// Seconds to fit (standardisation, quantiser, de-duplication).
    public let fitSeconds: Double
    /// `√(Σ‖x − x̂‖² / Σ‖x‖²)` over the training items, in the standardised space (for the
    /// RQ-VAE, x̂ is the decoder's output from the quantised latent).
    public let relativeReconstructionError: Double

    /// Fits a tokenizer on `embeddings` `[n, dim]` (row `i` is item `i`).
    /// - Throws: `SemanticIDError` for bad settings or input (non-finite values, too few items).
    public static func fit(embeddings: [Float], dim: Int, configuration: Configuration = .init(),
                           progress: ((String) -> Void)? = nil) throws -> SemanticIDTokenizer {
        guard dim > 0, embeddings.count % dim == 0, !embeddings.isEmpty else {
            throw SemanticIDError.invalidInput("the item vectors are not [n, \(dim)] with n > 0")
        }
        guard embeddings.allSatisfy(\.isFinite) else { throw SemanticIDError.invalidInput("the item vectors contain NaN or infinite values") }
        try configuration.validate(items: embeddings.count / dim, dim: dim)
        let start = Date()
        let standardization = Standardization(fitting: embeddings, dim: dim)
        let standardized = standardization.apply(to: embeddings)
        let codebooks: ResidualCodebooks, encoding: ResidualCodebooks.Encoding, rqvae: RQVAE?
        var squaredError = 0.0
        switch configuration.method {
        case .residualKMeans:
            var kmeans = ResidualKMeans.Configuration()
            kmeans.levels = configuration.levels
            kmeans.codebookSize = configuration.codebookSize
            kmeans.normalizesResiduals = configuration.normalizesResiduals
            kmeans.seed = configuration.seed
            progress?("residual k-means: \(configuration.levels) levels of \(configuration.codebookSize) codes")
            codebooks = try ResidualKMeans(kmeans).fit(standardized, dim: dim).codebooks
            encoding = codebooks.encode(standardized)
            rqvae = nil
            squaredError = encoding.squaredErrors.reduce(0.0) { $0 + Double($1) }
        case .rqvae:
            var settings = RQVAE.Configuration()
            settings.levels = configuration.levels
            settings.codebookSize = configuration.codebookSize
            settings.seed = configuration.seed
            if let epochs = configuration.rqvaeEpochs { settings.epochs = epochs }
            let model = try RQVAE.train(points: standardized, dim: dim, configuration: settings) { epoch in
                progress?(String(format: "RQ-VAE: epoch %d/%d, reconstruction %.4f, quantisation %.4f",
                                 epoch.epoch, settings.epochs, epoch.reconstructionLoss, epoch.quantizationLoss))
            }
            codebooks = model.codebooks
            encoding = model.encode(standardized)
            rqvae = model
            for (x, reconstructed) in zip(standardized, model.reconstruct(standardized)) {
                squaredError += Double(x - reconstructed) * Double(x - reconstructed)
            }
        }
        let codes = try UniqueCodes.make(encoding.codes, strategy: configuration.unique, encoding: encoding,
                                         lastCodebook: codebooks.centroids[codebooks.levels - 1], dim: codebooks.dim)
        let squaredNorm = standardized.reduce(0.0) { $0 + Double($1) * Double($1) }
        return SemanticIDTokenizer(configuration: configuration, standardization: standardization, codebooks: codebooks,
                                   rqvae: rqvae, rawCodes: encoding.codes, codes: codes,
                                   fitSeconds: Date().timeIntervalSince(start),
                                   relativeReconstructionError: squaredNorm > 0 ? (squaredError / squaredNorm).squareRoot() : 0)
    }

    /// What the quantiser makes of `embeddings` `[n, dim]` (raw codes, not de-duplicated).
    public func quantize(_ embeddings: [Float]) -> ResidualCodebooks.Encoding {
        let standardized = standardization.apply(to: embeddings)
        return rqvae?.encode(standardized) ?? codebooks.encode(standardized)
    }

    /// Codes a new item (a cold item, unseen when the codebooks were fitted) with the frozen
    /// codebooks and appends it as item `codes.count`; returns its tuple, which no other item has.
    /// - Throws: `SemanticIDError.invalidInput` for a vector of the wrong width or when a
    ///   balanced last level has no free code under the item's prefix.
    @discardableResult
    public mutating func appendItem(embedding: [Float]) throws -> [Int32] {
        guard embedding.count == standardization.dim, embedding.allSatisfy(\.isFinite) else {
            throw SemanticIDError.invalidInput("a new item's vector must hold \(standardization.dim) finite values, found \(embedding.count)")
        }
        let encoding = quantize(embedding)
        let quantized = encoding.codes.tuple(of: 0)
        codes = try UniqueCodes.appending(quantized: quantized, to: codes, strategy: configuration.unique,
                                          lastLevelInput: encoding.lastLevelInputs,
                                          lastCodebook: codebooks.centroids[codebooks.levels - 1])
        try rawCodes.append(quantized)
        return codes.tuple(of: codes.count - 1)
    }

    /// The quality report of these codes, with neighbours taken from `embeddings` `[n, dim]` (the
    /// item vectors the codes were made from, or the text part of them).
    public func qualityReport(name: String, embeddings: [Float], dim: Int) -> CodeQualityReport {
        CodeQualityReport(name: name, method: configuration.key, codes: codes, rawCodes: rawCodes, embeddings: embeddings,
                          dim: dim, relativeReconstructionError: relativeReconstructionError,
                          fitSeconds: fitSeconds)
    }
}
