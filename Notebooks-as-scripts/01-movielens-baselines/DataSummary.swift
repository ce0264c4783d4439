import Datasets
import Evaluation
import FeatureStore
import Recommenders

/// What section 2 of the notebook learns about the data set and its leave-one-out split; the
/// markdown report prints it again.
struct DataSummary {
    /// Data set size.
    var users: Int
    var items: Int
    var interactions: Int
    /// Interactions per user, ascending.
    var sequenceLengths: [Int]
    /// Users whose last two interactions (the validation and test items) share a timestamp, so
    /// the tie rule decides which one is the test item.
    var tiedLastPairs: Int
    /// One line per user, users in ascending raw-id order: `user<TAB>validation item<TAB>test item`
    /// (raw ids), each ending in `\n`.
    var splitLines: [String]
    /// SHA-256 of the concatenated `splitLines`, lowercase hex.
    var splitSHA256: String
    /// Sum of the raw test item ids (when they are integers).
    var testItemIDSum: Int

    /// The split checksum the README gives for ML-100K under the seeded-hash tie rule (DESIGN.md
    /// gives the old item-id rule's, 1043354b…).
    static let expectedSplitSHA256 = "479a2c6701f2c0c7b85ee1eab1cc9595c85b2f1f18d0e297b17f201415e3d3c9"

    /// Summarises `experiment`'s data set and split.
    init(_ experiment: Experiment) {
        let dataset = experiment.dataset
        users = dataset.numUsers
        items = dataset.numItems
        interactions = dataset.interactions.count
        let chronological = dataset.chronologicalInteractions(tieBreak: experiment.tieBreak)
        sequenceLengths = chronological.map(\.count).sorted()
        tiedLastPairs = chronological.filter { $0.count >= 2 && $0[$0.count - 1].timestamp == $0[$0.count - 2].timestamp }.count

        let validationTarget = Dictionary(uniqueKeysWithValues: experiment.split.validation.map { ($0.user, $0.targets[0]) })
        let testTarget = Dictionary(uniqueKeysWithValues: experiment.split.test.map { ($0.user, $0.targets[0]) })
        let usersInOrder = dataset.userIDs.indices.sorted {
            (Int(dataset.userIDs[$0]) ?? .max, dataset.userIDs[$0]) < (Int(dataset.userIDs[$1]) ?? .max, dataset.userIDs[$1])
        }
        splitLines = usersInOrder.compactMap { user in
            guard let valid = validationTarget[Int32(user)], let test = testTarget[Int32(user)] else { return nil }
            return "\(dataset.userIDs[user])\t\(dataset.itemIDs[Int(valid)])\t\(dataset.itemIDs[Int(test)])\n"
        }
        splitSHA256 = SHA256.hexDigest(of: Array(splitLines.joined().utf8))
        testItemIDSum = testTarget.values.reduce(0) { $0 + (Int(dataset.itemIDs[Int($1)]) ?? 0) }
    }

    /// Interactions per user at quantile `q` in 0...1 (nearest rank).
    func lengthQuantile(_ q: Double) -> Int {
        sequenceLengths[min(sequenceLengths.count - 1, Int((q * Double(sequenceLengths.count - 1)).rounded()))]
    }

    /// Mean interactions per user.
    var meanLength: Double { Double(interactions) / Double(users) }

    /// Fraction of the user x item matrix that is observed.
    var density: Double { Double(interactions) / Double(users * items) }

    /// Users per bucket of `buckets` by their number of interactions: label and count.
    func lengthHistogram(_ buckets: HistoryBuckets) -> [(label: String, users: Int)] {
        let counts = Dictionary(grouping: sequenceLengths) { buckets.bucketIndex(forHistoryLength: $0) ?? -1 }
        return buckets.lowerBounds.indices.map { (buckets.label(ofBucket: $0), counts[$0]?.count ?? 0) }
    }
}
