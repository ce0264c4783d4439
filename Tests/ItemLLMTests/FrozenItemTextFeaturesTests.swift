import ItemLLM
import XCTest

final class FrozenItemTextFeaturesTests: XCTestCase {
    func testForwardGathersRowsInRequestOrder() {
        // Three items of width 2: item i is [10i, 10i + 1].
        let features = FrozenItemTextFeatures(table: [0, 1, 10, 11, 20, 21], dim: 2)
        XCTAssertEqual(features.count, 3)
        XCTAssertEqual(features.forward(items: [2, 0, 2], training: true), [20, 21, 0, 1, 20, 21])
        XCTAssertTrue(features.parameters.isEmpty)
    }
}
