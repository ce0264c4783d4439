import Foundation
import NeuralNet
import XCTest

/// Early stopping, restoring the best epoch, checkpoints, and the vector kernels training uses.
final class TrainingLoopTests: XCTestCase {
    func testStopsAfterPatienceAndRestoresTheBestEpoch() throws {
        let parameter = Parameter(name: "w", shape: [1], value: [0], decays: true)
        let metrics = [0.1, 0.3, 0.2, 0.25, 0.29, 0.5, 0.6]
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("loop-\(UUID()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let loop = TrainingLoop(maxEpochs: 10, patience: 3, checkpointURL: url)
        var validated = 0
        let summary = try loop.run(parameters: [parameter], trainEpoch: { epoch in
            parameter.value[0] = Float(epoch)
            return 1 / Double(epoch)
        }, validate: {
            validated += 1
            return metrics[validated - 1]
        })
        XCTAssertEqual(summary.epochsRun, 5)
        XCTAssertEqual(summary.bestEpoch, 2)
        XCTAssertEqual(summary.bestMetric, 0.3)
        XCTAssertEqual(parameter.value, [2])
        XCTAssertEqual(summary.epochs.map(\.loss), [1, 0.5, 1.0 / 3, 0.25, 0.2])
        let checkpoint = try Safetensors.read(from: url)
        XCTAssertEqual(checkpoint.tensors["w"]?.values, [2])
        XCTAssertEqual(checkpoint.metadata["epoch"], "2")
    }

    func testValidationInterval() throws {
        let parameter = Parameter(name: "w", shape: [1], value: [0], decays: true)
        let summary = try TrainingLoop(maxEpochs: 5, patience: 10, validationInterval: 2)
            .run(parameters: [parameter], trainEpoch: { _ in 0 }, validate: { 1 })
        XCTAssertEqual(summary.epochs.map { $0.metric != nil }, [false, true, false, true, true])
        XCTAssertEqual(summary.bestEpoch, 2)
    }

    func testVectorisedExpAndSoftmax() {
        let xs: [Float] = [-87, -20, -1.5, -0.3, 0, 0.3, 1, 10, 50, 88]
        for x in xs {
            let approx = VectorMath.exp(SIMD8<Float>(repeating: x))[0]
            XCTAssertEqual(approx, Float(exp(Double(x))), accuracy: Float(exp(Double(x))) * 1e-6, "exp(\(x))")
        }
        var row: [Float] = (0..<13).map { Float($0) * 0.7 - 3 }
        let expected = row.map { exp(Double($0)) }
        let partition = expected.reduce(0, +)
        let logPartition = row.withUnsafeMutableBufferPointer { VectorMath.softmaxInPlace($0.baseAddress!, count: 13) }
        XCTAssertEqual(Double(logPartition), log(partition), accuracy: 1e-5)
        for (p, e) in zip(row, expected) { XCTAssertEqual(Double(p), e / partition, accuracy: 1e-6) }
    }

    func testParallelChunksCoverTheRangeInOrder() {
        XCTAssertEqual(Parallel.chunkRanges(count: 10, chunkCount: 4), [0..<2, 2..<5, 5..<7, 7..<10])
        XCTAssertEqual(Parallel.chunkRanges(count: 2, chunkCount: 8), [0..<1, 1..<2])
        XCTAssertEqual(Parallel.chunkRanges(count: 0, chunkCount: 8), [])
    }
}
