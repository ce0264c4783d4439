/// The global temporal split: two timestamp cuts at quantiles of all interaction times.
///
/// With all timestamps sorted as `t[0...n-1]`, a cut at quantile `q` is `t[min(n-1, floor(q*n))]`.
/// Interactions before the validation cut are train, those before the test cut train + validation.
/// A user's validation targets are their items in `[validationCut, testCut)`, the history their
/// train sequence; test targets are items at or after the test cut, the history the train +
/// validation sequence. Targets are unique, in time order, and exclude items already in the
/// history (which ranking excludes). Only users with both history and targets get a case.
/// Interactions that share a timestamp are ordered by `tieBreak`.
public func temporalSplit(_ dataset: InteractionDataset, validationQuantile: Double = 0.8,
                          testQuantile: Double = 0.9, tieBreak: TieBreak = .default) -> Split {
    precondition(0 <= validationQuantile && validationQuantile <= testQuantile && testQuantile <= 1,
                 "quantiles must satisfy 0 <= validation <= test <= 1")
    let times = dataset.interactions.map(\.timestamp).sorted()
    let cut: (Double) -> Int64 = { quantile in
        times.isEmpty ? 0 : times[min(times.count - 1, Int(quantile * Double(times.count)))]
    }
    let validationCut = cut(validationQuantile), testCut = cut(testQuantile)
    var train: [[Int32]] = [], trainAndValidation: [[Int32]] = []
    var validation: [EvaluationCase] = [], test: [EvaluationCase] = []
    for (user, sequence) in dataset.chronologicalInteractions(tieBreak: tieBreak).enumerated() {
        let fit = sequence.filter { $0.timestamp < validationCut }.map(\.item)
        let fitAndValidation = sequence.filter { $0.timestamp < testCut }.map(\.item)
        train.append(fit)
        trainAndValidation.append(fitAndValidation)
        let validationItems = sequence.filter { $0.timestamp >= validationCut && $0.timestamp < testCut }.map(\.item)
        if let validationCase = evaluationCase(user: user, history: fit, later: validationItems) { validation.append(validationCase) }
        let testItems = sequence.filter { $0.timestamp >= testCut }.map(\.item)
        if let testCase = evaluationCase(user: user, history: fitAndValidation, later: testItems) { test.append(testCase) }
    }
    return Split(protocolName: "temporal", numUsers: dataset.numUsers, numItems: dataset.numItems, train: train,
                 validation: validation, trainAndValidation: trainAndValidation, test: test)
}

/// A case with `later`'s unique items not in `history` as targets, or nil when either side is empty.
private func evaluationCase(user: Int, history: [Int32], later: [Int32]) -> EvaluationCase? {
    var excluded = Set(history)
    let targets = later.filter { excluded.insert($0).inserted }
    guard !history.isEmpty, !targets.isEmpty else { return nil }
    return EvaluationCase(user: Int32(user), history: history, targets: targets)
}
