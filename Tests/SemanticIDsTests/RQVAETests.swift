import Foundation
import GradientTestSupport
import NeuralNet
import SeededRandom
import SemanticIDs
import XCTest

/// RQ-VAE (Lee et al. 2022; TIGER, Rajput et al. 2023): finite-difference checks of the
/// quantiser's and the model's gradients, training on separated clusters, determinism, save/load
/// and bad settings. Sizes are small so every test runs in a debug build in a few seconds.
final class RQVAETests: XCTestCase {
    // MARK: Quantiser

    /// Level `l`'s code `k` is `scale_l · (u_k + 0.1·noise)` (`u_k` a basis vector; scales 8, 2,
    /// 0.5) and each point is the sum of one code per level plus N(0, 0.05²) noise, so every
    /// residual lies far nearer its own code than any other and a ±1e-2 perturbation changes no
    /// assignment. Returns the quantiser, the points `[batch, dim]` and the codes they were built from.
    private func separatedQuantizer(batch: Int = 5, dim: Int = 4, codes: Int = 3,
                                    beta: Float = 0.25) -> (ResidualVectorQuantizer, [Float], [Int32]) {
        var random = SplitMix64(seed: 21)
        let scales: [Float] = [8, 2, 0.5]
        let codebooks = scales.enumerated().map { level, scale -> Parameter in
            var values = [Float](repeating: 0, count: codes * dim)
            for code in 0..<codes {
                for j in 0..<dim {
                    values[code * dim + j] = scale * ((j == code ? 1 : 0) + 0.1 * Float(random.nextStandardNormal()))
                }
            }
            return Parameter(name: "codebook.\(level)", shape: [codes, dim], value: values, decays: false)
        }
        var z = [Float](repeating: 0, count: batch * dim)
        var chosen = [Int32]()
        for row in 0..<batch {
            for codebook in codebooks {
                let code = random.nextIndex(below: codes)
                chosen.append(Int32(code))
                for j in 0..<dim { z[row * dim + j] += codebook.value[code * dim + j] }
            }
            for j in 0..<dim { z[row * dim + j] += 0.05 * Float(random.nextStandardNormal()) }
        }
        return (ResidualVectorQuantizer(codebooks: codebooks, commitmentWeight: beta), z, chosen)
    }

    /// The quantisation loss with its stop-gradients made explicit, in Double: `sg(·)` reads the
    /// frozen values. Level `l`: `‖sg(r_l) − e_l‖² + β ‖r_l − sg(e_l)‖²` with
    /// `r_l = z − Σ_{j<l} sg(e_j)` (residuals detached from earlier codebooks), codes fixed; mean
    /// over the batch. Its derivative at the frozen point is what `backward` computes.
    private func surrogateQuantizationLoss(z: [Float], codebooks: [[Float]], frozenZ: [Float], frozenCodebooks: [[Float]],
                                           codes: [Int32], dim: Int, beta: Double) -> Double {
        let levels = codebooks.count, batch = z.count / dim
        var total = 0.0
        for row in 0..<batch {
            var frozenResidual = (0..<dim).map { Double(frozenZ[row * dim + $0]) }
            var liveResidual = (0..<dim).map { Double(z[row * dim + $0]) }
            for level in 0..<levels {
                let code = Int(codes[row * levels + level])
                for j in 0..<dim {
                    let live = Double(codebooks[level][code * dim + j]), frozen = Double(frozenCodebooks[level][code * dim + j])
                    total += (frozenResidual[j] - live) * (frozenResidual[j] - live)
                    total += beta * (liveResidual[j] - frozen) * (liveResidual[j] - frozen)
                    frozenResidual[j] -= frozen
                    liveResidual[j] -= frozen
                }
            }
        }
        return total / Double(batch)
    }

    func testQuantizerForwardMatchesResidualCodebooks() {
        let (initial, z, expected) = separatedQuantizer()
        var quantizer = initial
        let output = quantizer.forward(z)
        XCTAssertEqual(output.codes, expected)
        let codebooks = ResidualCodebooks(dim: 4, centroids: initial.codebooks.map(\.value), normalizesResiduals: false)
        let encoding = codebooks.encode(z)
        XCTAssertEqual(encoding.codes.codes, output.codes)
        XCTAssertEqual(codebooks.decode(encoding.codes), output.quantized)  // bit for bit
        // L_q = (1 + β) Σ_l mean ‖r_l − e_l‖², the last level's error being ‖x − x̂‖².
        let meanSquaredError = encoding.squaredErrors.reduce(0, +) / 5
        XCTAssertEqual(output.levelErrors.last!, meanSquaredError, accuracy: 1e-4 * max(1, meanSquaredError))
        XCTAssertEqual(output.loss, 1.25 * output.levelErrors.reduce(0, +), accuracy: 1e-5 * output.loss)
    }

    func testQuantizerGradientsOfTheQuantizationLoss() {
        let (initial, z, _) = separatedQuantizer()
        let frozenCodebooks = initial.codebooks.map(\.value)
        var quantizer = initial
        let output = quantizer.forward(z)
        initial.codebooks.zeroGradients()
        let dz = quantizer.backward([Float](repeating: 0, count: z.count))  // only L_q's own gradient
        let loss = { (z: [Float], codebooks: [[Float]]) in
            self.surrogateQuantizationLoss(z: z, codebooks: codebooks, frozenZ: z, frozenCodebooks: frozenCodebooks,
                                           codes: output.codes, dim: 4, beta: 0.25)
        }
        XCTAssertEqual(Double(output.loss), loss(z, frozenCodebooks), accuracy: 1e-5 * Double(output.loss))
        // dL_q/dz = Σ_l 2β (r_l − e_l) / B: differentiate with the codebook term's sg(r_l) frozen.
        assertGradient("quantizer z", values: z, analytic: dz) { perturbed in
            self.surrogateQuantizationLoss(z: perturbed, codebooks: frozenCodebooks, frozenZ: z,
                                           frozenCodebooks: frozenCodebooks, codes: output.codes, dim: 4, beta: 0.25)
        }
        // dL_q/dC_l: the codebook term only (commitment and later levels see sg(e_l)).
        assertParameterGradients(initial.codebooks) { loss(z, initial.codebooks.map(\.value)) }
        // A perturbation of ±1e-2 leaves every code as it was (what makes the check meaningful).
        for index in z.indices {
            for delta: Float in [-1e-2, 1e-2] {
                var perturbed = z
                perturbed[index] += delta
                var copy = initial
                XCTAssertEqual(copy.forward(perturbed).codes, output.codes)
            }
        }
    }

    func testStraightThroughGradientPassesUnchanged() {
        let (initial, z, _) = separatedQuantizer()
        initial.codebooks.zeroGradients()
        var quantizer = initial
        _ = quantizer.forward(z)
        let dQuantized = randomValues(z.count, seed: 22)
        XCTAssertEqual(quantizer.backward(dQuantized, lossWeight: 0), dQuantized)
        for codebook in initial.codebooks { XCTAssertEqual(codebook.gradient, [Float](repeating: 0, count: codebook.count)) }
        // With the loss: dQuantized plus the commitment gradient (computed alone with dQuantized = 0).
        let withLoss = quantizer.backward(dQuantized)
        let commitmentOnly = quantizer.backward([Float](repeating: 0, count: z.count))
        for i in z.indices { XCTAssertEqual(withLoss[i], dQuantized[i] + commitmentOnly[i], accuracy: 1e-5) }
    }

    // MARK: Model

    private var tinyConfiguration: RQVAE.Configuration {
        RQVAE.Configuration(hiddenSizes: [5], latentDim: 3, levels: 2, codebookSize: 4, batchSize: 4, epochs: 1, seed: 3)
    }

    func testParameterNamesAndShapes() throws {
        let model = try RQVAE(configuration: RQVAE.Configuration(hiddenSizes: [8, 6], latentDim: 4, codebookSize: 5),
                              inputDim: 10)
        XCTAssertEqual(model.parameters.map(\.name), [
            "encoder.0.weight", "encoder.0.bias", "encoder.1.weight", "encoder.1.bias", "encoder.2.weight", "encoder.2.bias",
            "decoder.0.weight", "decoder.0.bias", "decoder.1.weight", "decoder.1.bias", "decoder.2.weight", "decoder.2.bias",
            "codebook.0", "codebook.1", "codebook.2",
        ])
        XCTAssertEqual(model.parameters.map(\.shape), [[8, 10], [8], [6, 8], [6], [4, 6], [4], [6, 4], [6], [8, 6], [8],
                                                       [10, 8], [10], [5, 4], [5, 4], [5, 4]])
        XCTAssertEqual(model.parameters.filter(\.decays).map(\.name).filter { $0.hasPrefix("codebook") }, [])
        XCTAssertEqual(model.codebooks.codebookSizes, [5, 5, 5])
        XCTAssertFalse(model.codebooks.normalizesResiduals)
    }

    func testDecoderGradientsAreExact() throws {
        let initial = try RQVAE(configuration: tinyConfiguration, inputDim: 6)
        let x = randomValues(4 * 6, seed: 23)
        var model = initial
        model.parameters.zeroGradients()
        _ = model.forward(x)
        model.backward()
        // The codes do not depend on the decoder, so L = L_rec + L_q is smooth in its weights.
        let decoder = initial.parameters.filter { $0.name.hasPrefix("decoder") }
        assertParameterGradients(decoder, epsilon: 1e-3) { var copy = initial; return Double(copy.forward(x).loss) }
    }

    /// The encoder's gradient is the straight-through one, by design not the derivative of the
    /// true loss (whose ẑ is piecewise constant in the encoder's weights). It is the exact
    /// derivative of `L̃ = L_rec(dec(z + sg(ẑ − z))) + β Σ_l mean ‖z − Σ_{j≤l} sg(e_j)‖² (+ a
    /// constant codebook term)` with the offset ẑ − z and the codes frozen, which is what this
    /// checks.
    func testEncoderGradientsAreTheStraightThroughOnes() throws {
        let configuration = tinyConfiguration
        let initial = try RQVAE(configuration: configuration, inputDim: 6)
        let x = randomValues(4 * 6, seed: 24)
        var model = initial
        model.parameters.zeroGradients()
        let base = model.forward(x)
        model.backward()
        let offset = zip(base.quantization.quantized, base.latents).map { $0 - $1 }
        let (dim, levels) = (configuration.latentDim, configuration.levels)
        let centroids = initial.codebooks.centroids
        var cumulative = [[Double]]()  // per (row, level): Σ_{j≤l} e_j
        for row in 0..<4 {
            var sum = [Double](repeating: 0, count: dim)
            for level in 0..<levels {
                let code = Int(base.quantization.codes[row * levels + level])
                for j in 0..<dim { sum[j] += Double(centroids[level][code * dim + j]) }
                cumulative.append(sum)
            }
        }
        let surrogate = { () -> Double in
            let z = initial.latents(x)
            let reconstruction = initial.decode(zip(z, offset).map { $0 + $1 })
            var loss = zip(x, reconstruction).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
            for row in 0..<4 {
                for level in 0..<levels {
                    for j in 0..<dim {
                        let difference = Double(z[row * dim + j]) - cumulative[row * levels + level][j]
                        loss += Double(configuration.commitmentWeight) * difference * difference
                    }
                }
            }
            return loss / 4
        }
        XCTAssertEqual(surrogate(), Double(base.reconstructionLoss) + 0.25 / 1.25 * Double(base.quantization.loss),
                       accuracy: 1e-4 * Double(base.loss))
        let encoder = initial.parameters.filter { $0.name.hasPrefix("encoder") }
        assertParameterGradients(encoder, epsilon: 1e-3, loss: surrogate)
    }

    // MARK: Training

    /// `clusters` centres `N(0, 1)` in `dim` dimensions with `perCluster` points each at N(0, 0.1²)
    /// around them, rows in cluster order.
    private func rqvaeClusters(clusters: Int, perCluster: Int, dim: Int, seed: UInt64) -> [Float] {
        var random = SplitMix64(seed: seed)
        let centres = random.normals(count: clusters * dim, std: 1)
        var points = [Float]()
        for cluster in 0..<clusters {
            for _ in 0..<perCluster {
                points += (0..<dim).map { centres[cluster * dim + $0] + 0.1 * Float(random.nextStandardNormal()) }
            }
        }
        return points
    }

    private var clusterConfiguration: RQVAE.Configuration {
        RQVAE.Configuration(hiddenSizes: [32], latentDim: 4, levels: 2, codebookSize: 16, learningRate: 3e-3, batchSize: 64,
                            epochs: 80, seed: 7)
    }

    func testTrainingOnSeparatedClustersLowersTheLossAndUsesManyCodes() throws {
        let (clusters, perCluster, dim) = (24, 20, 16)
        let points = rqvaeClusters(clusters: clusters, perCluster: perCluster, dim: dim, seed: 25)
        var epochs: [RQVAE.Epoch] = []
        let model = try RQVAE.train(points: points, dim: dim, configuration: clusterConfiguration) { epochs.append($0) }
        XCTAssertEqual(epochs, model.trainingLog)
        XCTAssertEqual(epochs.count, 80)
        let first = epochs.first!, last = epochs.last!
        XCTAssertLessThan(last.totalLoss, 0.2 * first.totalLoss, "\(first) → \(last)")
        XCTAssertEqual(last.reseededCodes, 0)
        XCTAssertTrue(epochs.allSatisfy { $0.seconds >= 0 && $0.usedCodes.count == 2 })

        let codes = model.encode(points).codes
        XCTAssertEqual(codes.count, clusters * perCluster)
        let usedFirstLevel = Set((0..<codes.count).map { codes[$0].first! }).count
        XCTAssertGreaterThanOrEqual(usedFirstLevel, 12, "level-1 codes used")
        // Points of different clusters get different tuples; most points of a cluster share one.
        var tupleOfCluster: [[Int32]] = []
        for cluster in 0..<clusters {
            let tuples = (0..<perCluster).map { codes.tuple(of: cluster * perCluster + $0) }
            let common = Dictionary(grouping: tuples, by: { $0 }).max { $0.value.count < $1.value.count }!
            tupleOfCluster.append(common.key)
        }
        XCTAssertGreaterThanOrEqual(Set(tupleOfCluster).count, clusters - 2, "distinct cluster tuples")

        let reconstruction = model.reconstruct(points)
        let error = zip(points, reconstruction).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
        let energy = points.reduce(0.0) { $0 + Double($1) * Double($1) }
        XCTAssertLessThan(error / energy, 0.1, "relative squared reconstruction error")
    }

    func testSmallBatchesAndTinyCataloguesTrain() throws {
        // A batch smaller than the codebook: k-means initialises on the first 16 items instead.
        let points = rqvaeClusters(clusters: 5, perCluster: 4, dim: 6, seed: 26)
        let configuration = RQVAE.Configuration(hiddenSizes: [8], latentDim: 3, levels: 2, codebookSize: 16, batchSize: 8,
                                                epochs: 3)
        let model = try RQVAE.train(points: points, dim: 6, configuration: configuration)
        XCTAssertEqual(model.encode(points).codes.count, 20)
        XCTAssertEqual(model.trainingLog.count, 3)
        // Exactly as many items as codes, one batch each.
        let exact = Array(points.prefix(16 * 6))
        XCTAssertNoThrow(try RQVAE.train(points: exact, dim: 6, configuration: configuration))
    }

    func testSameSeedGivesTheSameModelAndCodes() throws {
        let points = rqvaeClusters(clusters: 10, perCluster: 10, dim: 8, seed: 27)
        var configuration = clusterConfiguration
        configuration.epochs = 4
        configuration.batchSize = 32
        let first = try RQVAE.train(points: points, dim: 8, configuration: configuration)
        let second = try RQVAE.train(points: points, dim: 8, configuration: configuration)
        XCTAssertEqual(first.encode(points).codes, second.encode(points).codes)
        for (a, b) in zip(first.parameters, second.parameters) {
            XCTAssertEqual(a.value.map(\.bitPattern), b.value.map(\.bitPattern), a.name)
        }
        XCTAssertEqual(first.trainingLog.map(\.totalLoss), second.trainingLog.map(\.totalLoss))
        configuration.seed += 1
        let other = try RQVAE.train(points: points, dim: 8, configuration: configuration)
        XCTAssertNotEqual(first.parameters[0].value, other.parameters[0].value)
    }

    func testSaveAndLoadGiveTheSameCodes() throws {
        let points = rqvaeClusters(clusters: 10, perCluster: 10, dim: 8, seed: 28)
        var configuration = clusterConfiguration
        configuration.epochs = 3
        let model = try RQVAE.train(points: points, dim: 8, configuration: configuration)
        let contents = try Safetensors.decode(Safetensors.encode(model.safetensorsContents()))
        let loaded = try RQVAE(configuration: configuration, inputDim: 8, parameters: contents)
        XCTAssertEqual(loaded.encode(points).codes, model.encode(points).codes)
        XCTAssertEqual(loaded.reconstruct(points), model.reconstruct(points))
        XCTAssertEqual(loaded.codebooks, model.codebooks)
        let restored = try RQVAE(checkpoint: contents)
        XCTAssertEqual(restored.configuration, configuration)
        XCTAssertEqual(restored.inputDim, 8)
        XCTAssertEqual(restored.latents(points), model.latents(points))

        var missing = contents
        missing.tensors["codebook.1"] = nil
        XCTAssertThrowsError(try RQVAE(configuration: configuration, inputDim: 8, parameters: missing))
        XCTAssertThrowsError(try RQVAE(configuration: configuration, inputDim: 9, parameters: contents))
        XCTAssertThrowsError(try RQVAE(checkpoint: Safetensors.Contents(tensors: contents.tensors)))
    }

    func testInferenceInBlocksMatchesOneBlock() throws {
        let model = try RQVAE(configuration: tinyConfiguration, inputDim: 6)
        let rows = RQVAE.inferenceBlockRows + 3
        let points = randomValues(rows * 6, seed: 29)
        let latents = model.latents(points)
        XCTAssertEqual(latents.count, rows * 3)
        let tail = Array(points.suffix(3 * 6))
        XCTAssertEqual(Array(latents.suffix(3 * 3)), model.latents(tail))
        XCTAssertEqual(model.reconstruct(points).count, rows * 6)
        XCTAssertEqual(model.decode(latents).count, rows * 6)
    }

    func testBadSettingsAndInputThrow() {
        func assertInvalidSetting(_ change: (inout RQVAE.Configuration) -> Void, line: UInt = #line) {
            var configuration = RQVAE.Configuration()
            change(&configuration)
            XCTAssertThrowsError(try configuration.validate(), line: line) { error in
                guard case SemanticIDError.invalidSetting = error else { return XCTFail("\(error)", line: line) }
            }
            XCTAssertThrowsError(try RQVAE(configuration: configuration, inputDim: 4), line: line)
        }
        XCTAssertNoThrow(try RQVAE.Configuration().validate())
        assertInvalidSetting { $0.codebookSize = 1 }
        assertInvalidSetting { $0.codebookSize = 65_537 }
        assertInvalidSetting { $0.levels = 0 }
        assertInvalidSetting { $0.levels = 9 }
        assertInvalidSetting { $0.latentDim = 0 }
        assertInvalidSetting { $0.hiddenSizes = [16, 0] }
        assertInvalidSetting { $0.commitmentWeight = -1 }
        assertInvalidSetting { $0.learningRate = 0 }
        assertInvalidSetting { $0.learningRate = .nan }
        assertInvalidSetting { $0.weightDecay = -1e-4 }
        assertInvalidSetting { $0.batchSize = 0 }
        assertInvalidSetting { $0.epochs = 0 }

        let small = RQVAE.Configuration(hiddenSizes: [4], latentDim: 2, levels: 1, codebookSize: 8, epochs: 1)
        XCTAssertThrowsError(try RQVAE.train(points: randomValues(7 * 3, seed: 30), dim: 3, configuration: small)) { error in
            guard case SemanticIDError.invalidSetting = error else { return XCTFail("\(error)") }
        }
        var points = randomValues(10 * 3, seed: 31)
        points[4] = .nan
        XCTAssertThrowsError(try RQVAE.train(points: points, dim: 3, configuration: small)) { error in
            XCTAssertEqual(error as? SemanticIDError, .invalidInput("the vectors contain NaN or infinite values"))
        }
        XCTAssertThrowsError(try RQVAE.train(points: randomValues(10, seed: 32), dim: 3, configuration: small)) { error in
            guard case SemanticIDError.invalidInput = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try RQVAE(configuration: small, inputDim: 0))
    }

    // MARK: Measurement (release builds only)

    /// The Office catalogue's size (2,420 items × 384, unit-length random vectors like MiniLM's)
    /// with the default configuration; run with `RQVAE_TIMING=1` in a release build.
    func testOfficeSizedTrainingTime() throws {
        guard ProcessInfo.processInfo.environment["RQVAE_TIMING"] != nil else {
            throw XCTSkip("set RQVAE_TIMING=1 (release build) to time RQ-VAE training on an Office-sized catalogue")
        }
        var points = randomValues(2_420 * 384, seed: 33)
        for row in 0..<2_420 {
            let norm = points[row * 384..<(row + 1) * 384].reduce(0) { $0 + $1 * $1 }.squareRoot()
            for j in row * 384..<(row + 1) * 384 { points[j] /= norm }
        }
        let start = Date()
        let model = try RQVAE.train(points: points, dim: 384) { epoch in
            if epoch.epoch == 1 || epoch.epoch % 20 == 0 {
                print("epoch \(epoch.epoch): rec \(epoch.reconstructionLoss) q \(epoch.quantizationLoss) used \(epoch.usedCodes) reseeded \(epoch.reseededCodes) \(epoch.seconds) s")
            }
        }
        let codes = model.encode(points).codes
        print("trained in \(Date().timeIntervalSince(start)) s; distinct tuples \(Set((0..<codes.count).map { codes.tuple(of: $0) }).count)")
    }
}
