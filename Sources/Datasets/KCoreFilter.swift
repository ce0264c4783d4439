/// Iterative k-core filtering: drops users with fewer than `minimumUserInteractions` and items with
/// fewer than `minimumItemInteractions` interactions, repeating until both hold everywhere
/// (each removal can push others below the bound). Repeated interactions count separately.
public struct KCoreFilter: Sendable, Equatable {
    /// Smallest number of interactions a kept user has.
    public var minimumUserInteractions: Int
    /// Smallest number of interactions a kept item has.
    public var minimumItemInteractions: Int

    /// The same bound `k` for users and items (the usual "5-core").
    public init(k: Int) {
        self.init(minimumUserInteractions: k, minimumItemInteractions: k)
    }

    /// Separate bounds for users and items.
    public init(minimumUserInteractions: Int, minimumItemInteractions: Int) {
        self.minimumUserInteractions = minimumUserInteractions
        self.minimumItemInteractions = minimumItemInteractions
    }

    /// The k-core of `dataset`, re-indexed densely (order preserved); may be empty.
    public func apply(to dataset: InteractionDataset) -> InteractionDataset {
        var isAlive = [Bool](repeating: true, count: dataset.interactions.count)
        while true {
            var userCounts = [Int](repeating: 0, count: dataset.numUsers)
            var itemCounts = [Int](repeating: 0, count: dataset.numItems)
            for (index, interaction) in dataset.interactions.enumerated() where isAlive[index] {
                userCounts[Int(interaction.user)] += 1
                itemCounts[Int(interaction.item)] += 1
            }
            var removedAny = false
            for (index, interaction) in dataset.interactions.enumerated() where isAlive[index] {
                if userCounts[Int(interaction.user)] < minimumUserInteractions
                    || itemCounts[Int(interaction.item)] < minimumItemInteractions {
                    isAlive[index] = false
                    removedAny = true
                }
            }
            if !removedAny { break }
        }
        return dataset.keepingInteractions(mask: isAlive)
    }
}
