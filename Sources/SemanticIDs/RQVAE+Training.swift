import Dispatch
import NeuralNet
import SeededRandom

extension RQVAE {
    /// Trains an RQ-VAE on the items `points` `[n, dim]` (Lee et al. 2022; TIGER, Rajput et al.
    /// 2023, §3.1 and appendix) and returns it, with one `Epoch` record per epoch in `trainingLog`.
    ///
    /// - Every epoch visits the items in a fresh order shuffled from `SplitMix64(seed:stream:)`
    ///   (seed, "rqvae", shuffle, epoch), in batches of `batchSize` (the last one smaller when n is
    ///   not a multiple), one AdamW step per batch on `L_rec + L_q`.
    /// - Before the first step the codebooks are initialised by k-means (`KMeans`, k-means++ and
    ///   Lloyd) on the latents of the first batch, level by level: level `l` clusters the residuals
    ///   left by the centroids of levels `0..<l` (as TIGER does, and SoundStream, Zeghidour et al.
    ///   2021, before it). When the batch is smaller than the codebook, the first
    ///   `max(batchSize, codebookSize)` items of the first epoch's order are used instead, so
    ///   k-means always has at least as many points as codes (n ≥ codebookSize is required).
    /// - Dead codes (SoundStream's remedy for codebook collapse): after every epoch but the last,
    ///   each code that no item chose during that epoch is set to the residual of its level of a
    ///   random item (seeded, drawn with replacement) of the epoch's last batch, as the residuals
    ///   were at that batch's forward pass. AdamW's moments for the row are kept (the optimizer exposes none to reset). No code
    ///   is re-seeded after the last epoch: the final codebooks are the trained ones.
    ///
    /// The same points, settings and seed give the same weights and codes, bit for bit, on the
    /// same machine and BLAS.
    ///
    /// - Parameter progress: called after every epoch with its record (for a progress line).
    /// - Throws: `SemanticIDError.invalidSetting` for settings outside their ranges, fewer items
    ///   than codes per codebook, or a loss that stops being finite (lower the learning rate);
    ///   `SemanticIDError.invalidInput` for input that is not `[n, dim]` with n, dim ≥ 1, or holds
    ///   NaN or infinite values.
    public static func train(points: [Float], dim: Int, configuration: Configuration = Configuration(),
                             progress: ((Epoch) -> Void)? = nil) throws -> RQVAE {
        try configuration.validate()
        guard dim >= 1, points.count % dim == 0, !points.isEmpty else {
            throw SemanticIDError.invalidInput("the item vectors are not [n, \(dim)] with n > 0 (\(points.count) values)")
        }
        let n = points.count / dim, codes = configuration.codebookSize
        guard n >= codes else {
            throw SemanticIDError.invalidSetting("a codebook of \(codes) codes needs at least \(codes) items, found \(n)")
        }
        guard points.allSatisfy(\.isFinite) else { throw SemanticIDError.invalidInput("the vectors contain NaN or infinite values") }

        var model = try RQVAE(configuration: configuration, inputDim: dim)
        let parameters = model.parameters
        var optimizer = AdamW(weightDecay: configuration.weightDecay)
        let batchSize = min(configuration.batchSize, n)
        let gather = { (rows: ArraySlice<Int>) -> [Float] in
            var batch = [Float]()
            batch.reserveCapacity(rows.count * dim)
            for row in rows { batch += points[row * dim..<(row + 1) * dim] }
            return batch
        }
        var log: [Epoch] = []
        for epoch in 1...configuration.epochs {
            let start = DispatchTime.now().uptimeNanoseconds
            var order = Array(0..<n)
            var shuffle = SplitMix64(seed: configuration.seed, stream: randomStream, RandomPurpose.shuffle.rawValue, UInt64(epoch))
            for i in stride(from: n - 1, to: 0, by: -1) { order.swapAt(i, shuffle.nextIndex(below: i + 1)) }
            if epoch == 1 {
                try model.initializeCodebooks(from: gather(order[..<max(batchSize, codes)]))
            }
            var used = [[Bool]](repeating: [Bool](repeating: false, count: codes), count: configuration.levels)
            var reconstructionSum = 0.0, quantizationSum = 0.0
            for batchStart in stride(from: 0, to: n, by: batchSize) {
                let rows = order[batchStart..<min(n, batchStart + batchSize)]
                parameters.zeroGradients()
                let result = model.forward(gather(rows))
                guard result.loss.isFinite else {
                    throw SemanticIDError.invalidSetting("RQ-VAE training diverged in epoch \(epoch) (loss \(result.loss)); lower the learning rate (\(configuration.learningRate))")
                }
                model.backward()
                optimizer.step(parameters, learningRate: configuration.learningRate)
                reconstructionSum += Double(result.reconstructionLoss) * Double(rows.count)
                quantizationSum += Double(result.quantization.loss) * Double(rows.count)
                for (position, code) in result.quantization.codes.enumerated() {
                    used[position % configuration.levels][Int(code)] = true
                }
            }
            var reseeded = 0
            if epoch < configuration.epochs {
                var random = SplitMix64(seed: configuration.seed, stream: randomStream, RandomPurpose.reseed.rawValue, UInt64(epoch))
                reseeded = model.reseedUnusedCodes(used: used, random: &random)
            }
            let record = Epoch(epoch: epoch, reconstructionLoss: reconstructionSum / Double(n),
                               quantizationLoss: quantizationSum / Double(n),
                               usedCodes: used.map { $0.filter { $0 }.count }, reseededCodes: reseeded,
                               seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            log.append(record)
            progress?(record)
        }
        model.trainingLog = log
        model.dropTrainingCaches()
        return model
    }

    /// Sets the codebooks to residual k-means centroids of the latents of `points`
    /// `[m, inputDim]` (m ≥ codebookSize): level `l`'s k-means runs on what levels `0..<l` leave.
    mutating func initializeCodebooks(from points: [Float]) throws {
        let dim = configuration.latentDim
        var residual = latents(points)
        for (level, codebook) in quantizer.codebooks.enumerated() {
            var seeds = SplitMix64(seed: configuration.seed, stream: Self.randomStream, RandomPurpose.kMeans.rawValue, UInt64(level))
            let kmeans = KMeans(KMeans.Configuration(clusters: configuration.codebookSize, seed: seeds.next()))
            let result = try residual.withUnsafeBufferPointer { try kmeans.fit($0, dim: dim) }
            codebook.value = result.centroids
            for (point, cluster) in result.assignments.enumerated() {
                let code = Int(cluster)
                for j in 0..<dim { residual[point * dim + j] -= result.centroids[code * dim + j] }
            }
        }
    }

    /// Moves every code with `used[level][code] == false` onto a random residual of its level
    /// from the last forward pass; returns how many codes moved.
    mutating func reseedUnusedCodes(used: [[Bool]], random: inout SplitMix64) -> Int {
        let dim = configuration.latentDim
        let residuals = quantizer.lastResiduals
        var moved = 0
        for (level, codebook) in quantizer.codebooks.enumerated() {
            let rows = residuals[level].count / dim
            guard rows > 0 else { continue }
            for code in 0..<configuration.codebookSize where !used[level][code] {
                let row = random.nextIndex(below: rows)
                for j in 0..<dim { codebook.value[code * dim + j] = residuals[level][row * dim + j] }
                moved += 1
            }
        }
        return moved
    }
}
