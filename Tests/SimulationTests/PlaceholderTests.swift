import XCTest
final class SimulationPlaceholderTests: XCTestCase { func testBuilds() {} }
