import LinearAlgebra
import SeededRandom
import XCTest

final class SIMDKernelsTests: XCTestCase {
    func testDotByHand() {
        let a: [Float] = Array(1...10).map(Float.init)
        XCTAssertEqual(a.withUnsafeBufferPointer { SIMDKernels.dot($0, $0) }, 385)
    }

    func testDotAndAxpyMatchReferenceOverLengths() {
        var random = SplitMix64(seed: 6)
        for n in Array(0...70) + [127, 128, 129, 1000] {
            let a = (0..<n).map { _ in random.uniform() }
            let b = (0..<n).map { _ in random.uniform() }
            let fast = a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { SIMDKernels.dot(pa, $0) } }
            XCTAssertEqual(fast, ReferenceKernels.dot(a, b), accuracy: 1e-4 * Float(max(n, 1)), "length \(n)")

            var y = b
            a.withUnsafeBufferPointer { pa in y.withUnsafeMutableBufferPointer { SIMDKernels.axpy(-1.5, pa, $0) } }
            let expected = ReferenceKernels.axpy(-1.5, a, b)
            for i in 0..<n { XCTAssertEqual(y[i], expected[i], accuracy: 1e-5, "axpy length \(n) entry \(i)") }
        }
    }
}
