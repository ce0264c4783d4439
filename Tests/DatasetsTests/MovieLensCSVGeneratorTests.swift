import Datasets
import Foundation
import XCTest

final class MovieLensCSVGeneratorTests: XCTestCase {
    func testWritesParseableSeededRatings() throws {
        let directory = try makeTemporaryDirectory(self)
        let generator = MovieLensCSVGenerator(lineCount: 5_000, userCount: 50, itemCount: 400, seed: 9)
        try generator.write(to: "\(directory)/ratings.csv")
        try generator.write(to: "\(directory)/again.csv")
        try MovieLensCSVGenerator(lineCount: 5_000, userCount: 50, itemCount: 400, seed: 10).write(to: "\(directory)/other.csv")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/ratings.csv"))
        XCTAssertEqual(bytes, try Data(contentsOf: URL(fileURLWithPath: "\(directory)/again.csv")))
        XCTAssertNotEqual(bytes, try Data(contentsOf: URL(fileURLWithPath: "\(directory)/other.csv")))
        XCTAssertTrue(bytes.starts(with: Data("userId,movieId,rating,timestamp\n1,".utf8)))

        let dataset = try loadDataset(at: "\(directory)/ratings.csv", name: "synthetic").dataset
        XCTAssertEqual(dataset.interactions.count, 5_000)
        XCTAssertEqual(dataset.userIDs, (1...50).map(String.init))
        XCTAssertTrue(dataset.itemIDs.allSatisfy { (1...400).contains(Int($0)!) })
        XCTAssertTrue(dataset.interactions.allSatisfy { (1...10).contains($0.rating * 2) && $0.rating * 2 == ($0.rating * 2).rounded() })
        let sequences = dataset.chronologicalInteractions()
        XCTAssertTrue(sequences.allSatisfy { $0.count == 100 })
        var counts: [String: Int] = [:]
        for interaction in dataset.interactions { counts[dataset.itemIDs[Int(interaction.item)], default: 0] += 1 }
        XCTAssertGreaterThan(counts["1"]!, 5 * (counts["100"] ?? 0), "Zipf-like: the top item is far more popular than rank 100")
    }
}
