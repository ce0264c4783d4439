import Datasets
import Foundation
import Recommenders
import XCTest

/// Real MovieLens-100K (`Data/ml-100k`, RecBole atomic files), loaded once for every test.
enum MovieLens100K {
    nonisolated(unsafe) private static var cached: Experiment?

    /// The leave-one-out experiment on ML-100K; skips (and fails) with a hint when the data is missing.
    static func experiment() throws -> Experiment {
        if let cached { return cached }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let folder = root.appendingPathComponent("Data/ml-100k")
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("ml-100k.inter").path) else {
            XCTFail("MovieLens-100K is missing in \(folder.path): run `make setup`")
            throw XCTSkip("no data")
        }
        let experiment = Experiment(dataset: try loadDataset(at: folder.path, name: "ml-100k").dataset)
        cached = experiment
        return experiment
    }
}
