import Datasets
import Evaluation

/// A leave-one-out split of `users` users in two communities (even users: items 0-5, odd users:
/// items 6-11), each walking its community's items in order from a start that shifts every two
/// users; the last two items are validation and test. A personalised model wins validation and
/// MostPop does not; "the item after the history's last one" is always the target.
func communitySplit(users: Int) -> Split {
    var train: [[Int32]] = [], trainAndValidation: [[Int32]] = []
    var validation: [EvaluationCase] = [], test: [EvaluationCase] = []
    for user in 0..<users {
        let base = Int32(user % 2 == 0 ? 0 : 6)
        let items = (0..<6).map { base + Int32(($0 + user / 2) % 6) }
        train.append(Array(items[0..<4]))
        trainAndValidation.append(Array(items[0..<5]))
        validation.append(EvaluationCase(user: Int32(user), history: Array(items[0..<4]), targets: [items[4]]))
        test.append(EvaluationCase(user: Int32(user), history: Array(items[0..<5]), targets: [items[5]]))
    }
    return Split(protocolName: "leave-one-out", numUsers: users, numItems: 12, train: train, validation: validation,
                 trainAndValidation: trainAndValidation, test: test)
}
