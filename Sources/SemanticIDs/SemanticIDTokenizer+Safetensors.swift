import Foundation
import NeuralNet

extension SemanticIDTokenizer {
    /// Everything needed to restore the tokenizer, as safetensors: `codes` `[n, levels′]`,
    /// `rawCodes` `[n, levels]` (codes are stored as float32, exact below 2²⁴), `codebook.<l>`
    /// `[K, dim]`, `standardization.mean` and `.std` `[dim]`, and for the RQ-VAE its weights under
    /// `rqvae.` (its own metadata under `rqvae.` keys); the configuration, codebook sizes, fit
    /// time and reconstruction error in the metadata.
    public func safetensorsContents() throws -> Safetensors.Contents {
        var tensors: [String: Safetensors.Tensor] = [
            "codes": Safetensors.Tensor(shape: [codes.count, codes.levels], values: codes.codes.map(Float.init)),
            "rawCodes": Safetensors.Tensor(shape: [rawCodes.count, rawCodes.levels], values: rawCodes.codes.map(Float.init)),
            "standardization.mean": Safetensors.Tensor(shape: [standardization.dim], values: standardization.mean),
            "standardization.std": Safetensors.Tensor(shape: [standardization.dim], values: standardization.std),
        ]
        for (level, centroids) in codebooks.centroids.enumerated() {
            tensors["codebook.\(level)"] = Safetensors.Tensor(shape: [centroids.count / codebooks.dim, codebooks.dim], values: centroids)
        }
        var metadata: [String: String] = [
            "configuration": String(decoding: try JSONEncoder().encode(configuration), as: UTF8.self),
            "codebookSizes": codes.codebookSizes.map(String.init).joined(separator: ","),
            "normalizesResiduals": String(codebooks.normalizesResiduals),
            "fitSeconds": String(fitSeconds),
            "relativeReconstructionError": String(relativeReconstructionError),
        ]
        if let rqvae {
            let checkpoint = rqvae.safetensorsContents()
            for (name, tensor) in checkpoint.tensors { tensors[Self.rqvaePrefix + name] = tensor }
            for (key, value) in checkpoint.metadata { metadata[Self.rqvaePrefix + key] = value }
        }
        return Safetensors.Contents(tensors: tensors, metadata: metadata)
    }

    /// The prefix of the RQ-VAE's tensors and metadata keys.
    static let rqvaePrefix = "rqvae."

    /// Restores a tokenizer written by `safetensorsContents()`.
    /// - Throws: `SemanticIDError.invalidInput` when a tensor or a metadata entry is missing or inconsistent.
    public init(contents: Safetensors.Contents) throws {
        func tensor(_ name: String) throws -> Safetensors.Tensor {
            guard let tensor = contents.tensors[name] else { throw SemanticIDError.invalidInput("stored semantic IDs lack the tensor '\(name)'") }
            return tensor
        }
        func codeSet(_ name: String, sizes: [Int]) throws -> SemanticIDCodes {
            let stored = try tensor(name)
            guard stored.shape.count == 2, stored.shape[1] == sizes.count,
                  stored.values.allSatisfy({ $0 >= 0 && $0 < 16_777_216 && $0 == $0.rounded() }) else {
                throw SemanticIDError.invalidInput("stored '\(name)' is not an [n, \(sizes.count)] matrix of codes")
            }
            return try SemanticIDCodes(codes: stored.values.map { Int32($0) }, codebookSizes: sizes)
        }
        guard let configurationText = contents.metadata["configuration"],
              let configuration = try? JSONDecoder().decode(Configuration.self, from: Data(configurationText.utf8)),
              let sizes = contents.metadata["codebookSizes"]?.split(separator: ",").compactMap({ Int($0) }),
              let fitSeconds = contents.metadata["fitSeconds"].flatMap(Double.init),
              let error = contents.metadata["relativeReconstructionError"].flatMap(Double.init) else {
            throw SemanticIDError.invalidInput("stored semantic IDs lack their configuration, codebook sizes or fit statistics")
        }
        let mean = try tensor("standardization.mean").values, std = try tensor("standardization.std").values
        guard !mean.isEmpty, mean.count == std.count else { throw SemanticIDError.invalidInput("stored standardisation is inconsistent") }
        var centroids: [[Float]] = []
        for level in 0..<configuration.levels {
            let codebook = try tensor("codebook.\(level)")
            guard codebook.shape.count == 2, codebook.shape[0] == configuration.codebookSize, codebook.shape[1] >= 1 else {
                throw SemanticIDError.invalidInput("stored codebook.\(level) is not [\(configuration.codebookSize), dim]")
            }
            centroids.append(codebook.values)
        }
        let dim = contents.tensors["codebook.0"]?.shape[1] ?? 0
        guard centroids.allSatisfy({ $0.count == configuration.codebookSize * dim }), configuration.levels >= 1 else {
            throw SemanticIDError.invalidInput("stored codebooks differ in width")
        }
        let rawSizes = Array(repeating: configuration.codebookSize, count: configuration.levels)
        var rqvae: RQVAE?
        if configuration.method == .rqvae {
            let strip = { (name: String) in name.hasPrefix(Self.rqvaePrefix) ? String(name.dropFirst(Self.rqvaePrefix.count)) : nil }
            var checkpoint = Safetensors.Contents(tensors: [:])
            for (name, tensor) in contents.tensors { if let inner = strip(name) { checkpoint.tensors[inner] = tensor } }
            for (key, value) in contents.metadata { if let inner = strip(key) { checkpoint.metadata[inner] = value } }
            rqvae = try RQVAE(checkpoint: checkpoint)
        }
        self.init(configuration: configuration, standardization: Standardization(mean: mean, std: std),
                  codebooks: ResidualCodebooks(dim: dim, centroids: centroids,
                                               normalizesResiduals: contents.metadata["normalizesResiduals"] == "true"),
                  rqvae: rqvae,
                  rawCodes: try codeSet("rawCodes", sizes: rawSizes), codes: try codeSet("codes", sizes: sizes),
                  fitSeconds: fitSeconds, relativeReconstructionError: error)
        guard self.codes.count == rawCodes.count else { throw SemanticIDError.invalidInput("stored codes and raw codes differ in length") }
    }
}
