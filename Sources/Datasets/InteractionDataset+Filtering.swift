extension InteractionDataset {
    /// The data set restricted to the interactions `isKept` accepts, re-indexed densely.
    ///
    /// Users and items left without interactions are dropped; the others keep their relative order
    /// (and records), so indices stay in first-seen order. Interactions keep their order too.
    public func keepingInteractions(where isKept: (Interaction) -> Bool) -> InteractionDataset {
        keepingInteractions(mask: interactions.map(isKept))
    }

    /// The data set restricted to the interactions whose `mask` entry is true, re-indexed densely.
    func keepingInteractions(mask: [Bool]) -> InteractionDataset {
        precondition(mask.count == interactions.count, "one mask entry per interaction")
        var userMap = [Int32](repeating: -1, count: numUsers)
        var itemMap = [Int32](repeating: -1, count: numItems)
        let kept = zip(interactions, mask).filter(\.1).map(\.0)
        for interaction in kept {
            userMap[Int(interaction.user)] = 0
            itemMap[Int(interaction.item)] = 0
        }
        let keptUsers = Self.assignDenseIndices(&userMap)
        let keptItems = Self.assignDenseIndices(&itemMap)
        return InteractionDataset(
            name: name,
            userIDs: keptUsers.map { userIDs[$0] },
            itemIDs: keptItems.map { itemIDs[$0] },
            items: items.isEmpty ? [] : keptItems.map { items[$0] },
            users: users.isEmpty ? [] : keptUsers.map { users[$0] },
            interactions: kept.map {
                Interaction(user: userMap[Int($0.user)], item: itemMap[Int($0.item)], rating: $0.rating, timestamp: $0.timestamp)
            })
    }

    /// Replaces every `0` (kept) entry of `map` by the next dense index; returns the kept old indices.
    private static func assignDenseIndices(_ map: inout [Int32]) -> [Int] {
        var kept: [Int] = []
        for index in map.indices where map[index] == 0 {
            map[index] = Int32(kept.count)
            kept.append(index)
        }
        return kept
    }
}
