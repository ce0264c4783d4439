import XCTest
final class FeatureStorePlaceholderTests: XCTestCase { func testBuilds() {} }
