import XCTest
final class LinearAlgebraPlaceholderTests: XCTestCase { func testBuilds() {} }
