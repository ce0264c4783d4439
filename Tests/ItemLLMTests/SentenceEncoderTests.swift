import ItemLLM
import NeuralNet
import SeededRandom
import XCTest

final class SentenceEncoderTests: XCTestCase {
    private let config = BertConfig(hiddenSize: 8, layerCount: 2, headCount: 2, intermediateSize: 16, vocabularySize: 50,
                                    maxPositionEmbeddings: 40)

    func testBatchesAreSortedByLengthAndCapped() {
        let lengths = [5, 2, 9, 2, 4, 30]
        let batches = SentenceEncoder.batches(lengths: lengths, tokensPerBatch: 10)
        XCTAssertEqual(batches, [[1, 3, 4], [0], [2], [5]])
        XCTAssertEqual(batches.flatMap { $0 }.sorted(), Array(lengths.indices))
    }

    func testFLOPsCountLinearLayersAndAttention() {
        // Per token: 2 (8·24 + 8·8 + 2·8·16) = 1024; attention 4 · 10² · 8 = 3200; two layers.
        XCTAssertEqual(SentenceEncoder.flops(lengths: [10], config: config, layers: 2), 2 * (10 * 1024 + 3200))
    }

    func testOutputFollowsInputOrderWithUnitRows() {
        var random = SplitMix64(seed: 3)
        let model = BertModel(config: config, random: &random)
        for parameter in model.embeddings.parameters { parameter.value = random.normals(count: parameter.count, std: 1) }
        let sequences = (0..<7).map { _ in (0..<(2 + random.nextIndex(below: 12))).map { _ in Int32(random.nextIndex(below: 50)) } }
        var encoder = SentenceEncoder(model: model, tokensPerBatch: 16)
        var reported: [Int] = []
        let (embeddings, statistics) = encoder.encode(sequences) { reported.append($0) }
        XCTAssertEqual(statistics.items, 7)
        XCTAssertEqual(statistics.tokens, sequences.reduce(0) { $0 + $1.count })
        XCTAssertEqual(reported.last, 7)
        XCTAssertEqual(reported.count, statistics.batches)
        let (reversed, _) = encoder.encode(sequences.reversed())
        for i in 0..<7 {
            let row = embeddings[i * 8..<(i + 1) * 8]
            XCTAssertEqual(row.reduce(0) { $0 + $1 * $1 }, 1, accuracy: 1e-5)
            for (u, v) in zip(row, reversed[(6 - i) * 8..<(7 - i) * 8]) { XCTAssertEqual(u, v, accuracy: 1e-5) }
        }
    }
}
