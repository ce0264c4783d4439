/// The leave-one-out split of DESIGN.md: in each user's chronological sequence the last item is
/// the test target, the second-to-last the validation target, the rest train. Interactions that
/// share a timestamp are ordered by `tieBreak`.
///
/// Validation cases have the train sequence as history; test cases have train + validation.
/// Users with fewer than 3 interactions keep everything in train and get no cases. Cases are in
/// ascending internal user order.
public func leaveOneOutSplit(_ dataset: InteractionDataset, tieBreak: TieBreak = .default) -> Split {
    let sequences = dataset.chronologicalSequences(tieBreak: tieBreak)
    var train: [[Int32]] = [], trainAndValidation: [[Int32]] = []
    var validation: [EvaluationCase] = [], test: [EvaluationCase] = []
    for (user, sequence) in sequences.enumerated() {
        guard sequence.count >= 3 else {
            train.append(sequence)
            trainAndValidation.append(sequence)
            continue
        }
        let fit = Array(sequence.dropLast(2)), fitAndValidation = Array(sequence.dropLast())
        train.append(fit)
        trainAndValidation.append(fitAndValidation)
        validation.append(EvaluationCase(user: Int32(user), history: fit, targets: [sequence[sequence.count - 2]]))
        test.append(EvaluationCase(user: Int32(user), history: fitAndValidation, targets: [sequence[sequence.count - 1]]))
    }
    return Split(protocolName: "leave-one-out", numUsers: dataset.numUsers, numItems: dataset.numItems, train: train,
                 validation: validation, trainAndValidation: trainAndValidation, test: test)
}
