import SeededRandom

extension Split {
    /// The cold-start variant of this split: `coldItems` never occur in anything a model is fit on
    /// or sees as history, and only cases whose target is cold are evaluated.
    ///
    /// - `train` and `trainAndValidation` lose every cold item (the users keep the rest).
    /// - `validation` keeps its warm-target cases (histories without cold items), so models that
    ///   select hyperparameters or stop early still can; it never reveals a cold item.
    /// - `test` keeps only the cases whose target is cold (histories without cold items): the
    ///   question "can the model recommend an item nobody has interacted with yet?", which only a
    ///   model that reads item content (HLLM) can answer better than chance.
    ///
    /// Cases whose history becomes empty are dropped. The protocol name gets a `+cold-start` suffix.
    public func coldStart(coldItems: Set<Int32>) -> Split {
        let warm = { (sequence: [Int32]) in sequence.filter { !coldItems.contains($0) } }
        let validationCases = validation.compactMap { c -> EvaluationCase? in
            let history = warm(c.history)
            guard !c.targets.contains(where: coldItems.contains), !history.isEmpty else { return nil }
            return EvaluationCase(user: c.user, history: history, targets: c.targets)
        }
        let testCases = test.compactMap { c -> EvaluationCase? in
            let history = warm(c.history)
            let targets = c.targets.filter(coldItems.contains)
            guard !targets.isEmpty, !history.isEmpty else { return nil }
            return EvaluationCase(user: c.user, history: history, targets: targets)
        }
        return Split(protocolName: protocolName + "+cold-start", numUsers: numUsers, numItems: numItems,
                     train: train.map(warm), validation: validationCases,
                     trainAndValidation: trainAndValidation.map(warm), test: testCases)
    }

    /// A seeded uniform sample of `fraction` of the catalogue (at least one item when the catalogue
    /// is not empty) to hold out as cold items.
    public static func sampleColdItems(numItems: Int, fraction: Double, seed: UInt64) -> Set<Int32> {
        precondition(fraction > 0 && fraction < 1, "the cold fraction must lie strictly between 0 and 1")
        guard numItems > 0 else { return [] }
        var random = SplitMix64(seed: seed)
        var items = (0..<Int32(numItems)).map { $0 }
        let count = max(1, Int((Double(numItems) * fraction).rounded()))
        for i in 0..<count {  // partial Fisher-Yates shuffle
            items.swapAt(i, i + random.nextIndex(below: numItems - i))
        }
        return Set(items[..<count])
    }
}
