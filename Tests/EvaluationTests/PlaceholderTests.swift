import XCTest
final class EvaluationPlaceholderTests: XCTestCase { func testBuilds() {} }
