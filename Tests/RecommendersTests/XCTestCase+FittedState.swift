import NeuralNet
import Recommenders
import XCTest

/// Assertions shared by the persistent-state tests of the sequential and generative models.
extension XCTestCase {
    /// Scores as bit patterns, for bit-for-bit comparisons.
    func bitPatterns(_ scores: [[Float]]) -> [[UInt32]] { scores.map { $0.map(\.bitPattern) } }

    /// `model.restoreFittedState(state)` throws `expected`, and the model stays unfitted.
    func assertRefused(_ model: any PersistentRecommender, _ state: Safetensors.Contents, _ expected: SafetensorsError,
                       file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try model.restoreFittedState(state), file: file, line: line) { error in
            XCTAssertEqual(error as? SafetensorsError, expected, "\(error)", file: file, line: line)
        }
        XCTAssertEqual(model.numItems, 0, "a refused state leaves the model unfitted", file: file, line: line)
    }

    /// `model.restoreFittedState(state)` throws an error whose description contains `text`, and the
    /// model stays unfitted.
    func assertRefused(_ model: any PersistentRecommender, _ state: Safetensors.Contents, containing text: String,
                       file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try model.restoreFittedState(state), file: file, line: line) { error in
            XCTAssertTrue(String(describing: error).contains(text), "\(error) should mention \(text)", file: file, line: line)
        }
        XCTAssertEqual(model.numItems, 0, "a refused state leaves the model unfitted", file: file, line: line)
    }
}
