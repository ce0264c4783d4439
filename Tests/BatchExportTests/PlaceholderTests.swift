import XCTest
final class BatchExportPlaceholderTests: XCTestCase { func testBuilds() {} }
