import XCTest
final class NeuralNetPlaceholderTests: XCTestCase { func testBuilds() {} }
