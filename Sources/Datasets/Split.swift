/// One ranking query: rank the whole catalogue for `user` given `history`, hoping to find `targets`.
///
/// `history` is chronological (oldest first) and is also the set of items excluded from ranking.
public struct EvaluationCase: Equatable, Sendable {
    public var user: Int32
    public var history: [Int32]
    public var targets: [Int32]

    public init(user: Int32, history: [Int32], targets: [Int32]) {
        self.user = user
        self.history = history
        self.targets = targets
    }
}

/// A train/validation/test split of per-user chronological sequences (DESIGN.md protocol).
///
/// Validation: models fit on `train`, are queried with `validation` (history = train sequence).
/// Test: models are refit on `trainAndValidation`, queried with `test` (history = train + validation).
/// Sequences are indexed by internal user id; a user with no training data has an empty sequence.
public struct Split: Sendable {
    /// "leave-one-out" or "temporal".
    public var protocolName: String
    public var numUsers: Int
    public var numItems: Int
    public var train: [[Int32]]
    public var validation: [EvaluationCase]
    public var trainAndValidation: [[Int32]]
    public var test: [EvaluationCase]

    public init(protocolName: String, numUsers: Int, numItems: Int, train: [[Int32]],
                validation: [EvaluationCase], trainAndValidation: [[Int32]], test: [EvaluationCase]) {
        self.protocolName = protocolName
        self.numUsers = numUsers
        self.numItems = numItems
        self.train = train
        self.validation = validation
        self.trainAndValidation = trainAndValidation
        self.test = test
    }
}

extension Split {
    /// Whether every validation case is one user's train + validation sequence split into its last
    /// item (the single target) and the rest (the history), as leave-one-out makes them: then a
    /// model fit on `trainAndValidation` that holds out each user's last item holds out exactly
    /// the validation targets.
    public var validationTargetsEndTrainAndValidation: Bool {
        validation.allSatisfy { c in
            c.targets.count == 1 && Int(c.user) < trainAndValidation.count
                && trainAndValidation[Int(c.user)] == c.history + c.targets
        }
    }
}
