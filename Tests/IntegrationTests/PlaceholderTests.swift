import XCTest
final class IntegrationPlaceholderTests: XCTestCase { func testBuilds() {} }
