import XCTest
final class RecommendersPlaceholderTests: XCTestCase { func testBuilds() {} }
