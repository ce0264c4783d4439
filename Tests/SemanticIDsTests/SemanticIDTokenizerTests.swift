import NeuralNet
import SemanticIDs
import XCTest

final class SemanticIDTokenizerTests: XCTestCase {
    private func configuration(_ unique: UniqueCodeStrategy = .extraLevel, size: Int = 8) -> SemanticIDTokenizer.Configuration {
        var configuration = SemanticIDTokenizer.Configuration()
        configuration.codebookSize = size
        configuration.unique = unique
        return configuration
    }

    func testEveryItemGetsAUniqueCodeEitherWay() throws {
        let points = clusteredPoints(clusters: 6, perCluster: 20, dim: 5, noise: 0.3)
        for strategy in UniqueCodeStrategy.allCases {
            let tokenizer = try SemanticIDTokenizer.fit(embeddings: points, dim: 5, configuration: configuration(strategy))
            XCTAssertTrue(tokenizer.codes.isUnique, "\(strategy)")
            XCTAssertEqual(tokenizer.codes.levels, strategy == .extraLevel ? 4 : 3)
            XCTAssertNoThrow(try SemanticIDTrie(tokenizer.codes))
            XCTAssertLessThan(tokenizer.relativeReconstructionError, 1)
        }
    }

    func testIdenticalEmbeddingsStillGetUniqueCodes() throws {
        var points = [Float](repeating: 0.5, count: 300 * 4)  // 300 identical items ...
        points += gaussianPoints(20, dim: 4, seed: 8)          // ... and 20 others
        let tokenizer = try SemanticIDTokenizer.fit(embeddings: points, dim: 4, configuration: configuration(size: 16))
        XCTAssertTrue(tokenizer.codes.isUnique)
        XCTAssertEqual(tokenizer.codes.codebookSizes.last, 300)
    }

    func testSameSeedSameCodesAndRoundTripThroughSafetensors() throws {
        let points = gaussianPoints(200, dim: 6, seed: 21)
        let a = try SemanticIDTokenizer.fit(embeddings: points, dim: 6, configuration: configuration())
        let b = try SemanticIDTokenizer.fit(embeddings: points, dim: 6, configuration: configuration())
        XCTAssertEqual(a.codes, b.codes)
        XCTAssertEqual(a.codebooks, b.codebooks)
        let restored = try SemanticIDTokenizer(contents: try Safetensors.decode(try Safetensors.encode(try a.safetensorsContents())))
        XCTAssertEqual(restored.codes, a.codes)
        XCTAssertEqual(restored.rawCodes, a.rawCodes)
        XCTAssertEqual(restored.codebooks, a.codebooks)
        XCTAssertEqual(restored.standardization, a.standardization)
        XCTAssertEqual(restored.configuration, a.configuration)
    }

    func testANewItemGetsAFreshCodeTheTrieFinds() throws {
        let points = gaussianPoints(40, dim: 3, seed: 13)
        for strategy in UniqueCodeStrategy.allCases {
            var tokenizer = try SemanticIDTokenizer.fit(embeddings: points, dim: 3, configuration: configuration(strategy, size: 8))
            // A copy of item 0: same raw code as item 0, so it must be told apart.
            let tuple = try tokenizer.appendItem(embedding: Array(points[0..<3]))
            XCTAssertEqual(tokenizer.codes.count, 41)
            XCTAssertTrue(tokenizer.codes.isUnique, "\(strategy)")
            XCTAssertEqual(try SemanticIDTrie(tokenizer.codes).item(forCode: tuple), 40)
            XCTAssertEqual(Array(tokenizer.rawCodes[40]), Array(tokenizer.rawCodes[0]))
        }
    }

    func testBadSettingsThrowOneLine() {
        let points = gaussianPoints(100, dim: 2, seed: 1)
        var config = configuration(size: 1)
        XCTAssertThrowsError(try SemanticIDTokenizer.fit(embeddings: points, dim: 2, configuration: config)) {
            XCTAssertEqual("\($0)", "invalid setting: the codebook size must lie in 2...65536, not 1")
        }
        config = configuration(size: 65_537)
        XCTAssertThrowsError(try SemanticIDTokenizer.fit(embeddings: points, dim: 2, configuration: config))
        config = configuration()
        config.levels = 3
        XCTAssertThrowsError(try SemanticIDTokenizer.fit(embeddings: points, dim: 2, configuration: config)) {
            XCTAssertEqual("\($0)", "invalid setting: 3 levels of residual k-means on 2-dimensional vectors: at most 2 levels carry information")
        }
        config = configuration(size: 256)
        config.levels = 2
        XCTAssertThrowsError(try SemanticIDTokenizer.fit(embeddings: points, dim: 2, configuration: config)) {
            XCTAssertEqual("\($0)", "invalid setting: a codebook of 256 codes needs at least 256 items, the catalogue has 100; choose a smaller --codebook-size")
        }
        var tokenizer = try! SemanticIDTokenizer.fit(embeddings: gaussianPoints(100, dim: 3, seed: 1), dim: 3, configuration: configuration())
        XCTAssertThrowsError(try tokenizer.appendItem(embedding: [1, 2]))
    }
}

final class SemanticIDTokenizerRQVAETests: XCTestCase {
    func testRQVAETokenizerRoundTripsAndCodesNewItems() throws {
        var configuration = SemanticIDTokenizer.Configuration()
        configuration.method = .rqvae
        configuration.codebookSize = 8
        configuration.rqvaeEpochs = 5
        let points = clusteredPoints(clusters: 6, perCluster: 20, dim: 16, noise: 0.3)
        var tokenizer = try SemanticIDTokenizer.fit(embeddings: points, dim: 16, configuration: configuration)
        XCTAssertNotNil(tokenizer.rqvae)
        XCTAssertEqual(tokenizer.codebooks.dim, 32, "the codebooks quantise the RQ-VAE's latents")
        XCTAssertTrue(tokenizer.codes.isUnique)
        XCTAssertEqual(tokenizer.quantize(points).codes, tokenizer.rawCodes)
        let restored = try SemanticIDTokenizer(contents: try Safetensors.decode(try Safetensors.encode(try tokenizer.safetensorsContents())))
        XCTAssertEqual(restored.quantize(points).codes, tokenizer.rawCodes, "the stored RQ-VAE encodes as the fitted one")
        XCTAssertEqual(restored.codes, tokenizer.codes)
        let tuple = try tokenizer.appendItem(embedding: Array(points[0..<16]))
        XCTAssertEqual(try SemanticIDTrie(tokenizer.codes).item(forCode: tuple), 120)
    }
}
