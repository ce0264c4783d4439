import Datasets
import Evaluation
import LinearAlgebra

/// What a model is fit on: per-user chronological item sequences over a fixed catalogue.
///
/// `sequences[u]` is user `u`'s history, oldest first (may contain repeats, may be empty).
/// `userItems` is the same data as a binary user x item matrix in CSR form (unique items, sorted),
/// which the collaborative-filtering models use.
public struct TrainingData: Sendable {
    public let numUsers: Int
    public let numItems: Int
    public let sequences: [[Int32]]
    /// CSR row offsets, `[numUsers + 1]`: user `u`'s items are `itemIndices[rowStart[u]..<rowStart[u+1]]`.
    public let rowStart: [Int]
    /// CSR column indices (item ids), sorted and unique within each user, `[nnz]`.
    public let itemIndices: [Int32]

    public init(numUsers: Int, numItems: Int, sequences: [[Int32]]) {
        precondition(sequences.count == numUsers, "one sequence per user")
        self.numUsers = numUsers
        self.numItems = numItems
        self.sequences = sequences
        var rowStart = [0]
        rowStart.reserveCapacity(numUsers + 1)
        var itemIndices: [Int32] = []
        for sequence in sequences {
            let unique = Array(Set(sequence)).sorted()
            precondition(unique.allSatisfy { $0 >= 0 && Int($0) < numItems }, "item id out of range")
            itemIndices.append(contentsOf: unique)
            rowStart.append(itemIndices.count)
        }
        self.rowStart = rowStart
        self.itemIndices = itemIndices
    }

    /// Number of non-zero entries of the binary user x item matrix.
    public var nonZeroCount: Int { itemIndices.count }

    /// The unique items of user `u`, sorted.
    public func items(ofUser u: Int) -> ArraySlice<Int32> { itemIndices[rowStart[u]..<rowStart[u + 1]] }
}

/// A recommender: fit on training sequences, then score the whole catalogue for any history.
///
/// SASRec, HLLM and the generative ranker implement the same protocol as the CF baselines, so
/// one evaluation loop, one export job and one simulator serve them all.
public protocol Recommender: RankingScorer {
    /// Short model name used in reports and on the command line ("ease", "ials", ...).
    var name: String { get }
    /// The configuration in use, as a flat string map for reports.
    var configDescription: [String: String] { get }
    /// Fits the model; replaces anything fit before.
    func fit(_ data: TrainingData) throws
    /// What the last `fit` did beyond its configuration (epochs run, best epoch, seconds per
    /// epoch ...), for reports; empty for closed-form models.
    var fitSummary: FitSummary { get }
}

/// Facts about one `fit`, merged into the evaluation report's counts and timings.
public struct FitSummary: Equatable, Sendable {
    /// Whole-number facts, e.g. `"epochsRun"`, `"bestEpoch"`.
    public var counts: [String: Int]
    /// Durations in seconds, e.g. `"secondsPerEpoch"`.
    public var timings: [String: Double]

    /// A summary of `counts` and `timings` (none by default).
    public init(counts: [String: Int] = [:], timings: [String: Double] = [:]) {
        self.counts = counts
        self.timings = timings
    }
}

public extension Recommender {
    /// Closed-form and single-pass models have nothing to add to their configuration.
    var fitSummary: FitSummary { FitSummary() }

    /// The `k` best items for one user, best first, excluding `history` (ties: lower item id first).
    func recommend(user: Int32, history: [Int32], k: Int) -> [(item: Int32, score: Float)] {
        var scores = [Float](repeating: 0, count: numItems)
        scores.withUnsafeMutableBufferPointer { scoreBatch(users: [user], histories: [history], into: $0) }
        let best = scores.withUnsafeBufferPointer { topK($0, k: k, excluding: history) }
        return best.map { (Int32($0), scores[$0]) }
    }
}

/// One point of a model's hyperparameter grid: its description and a way to build it.
public struct ModelCandidate {
    public let model: String
    public let config: [String: String]
    public let make: () -> any Recommender
    /// Hyperparameters whose grid the search may extend past its edge (`SearchAxis`).
    public let searchAxes: [SearchAxis]
    /// The same model with some settings changed (name -> value, as `--set` takes them); nil when
    /// the model cannot be rebuilt that way (then no axis is extended).
    public let changing: (([String: String]) throws -> ModelCandidate)?

    public init(model: String, config: [String: String], make: @escaping () -> any Recommender,
                searchAxes: [SearchAxis] = [], changing: (([String: String]) throws -> ModelCandidate)? = nil) {
        self.model = model
        self.config = config
        self.make = make
        self.searchAxes = searchAxes
        self.changing = changing
    }

    /// The same candidate, handing `observer` every instance it makes (rebuilt variants too), e.g.
    /// to read a fitted model's training curve after the selection.
    public func observed(by observer: @escaping (any Recommender) -> Void) -> ModelCandidate {
        ModelCandidate(model: model, config: config,
                       make: { [make] in
                           let instance = make()
                           observer(instance)
                           return instance
                       },
                       searchAxes: searchAxes,
                       changing: changing.map { change in { try change($0).observed(by: observer) } })
    }
}
