extension InteractionDataset {
    /// Whether every raw item id is a decimal integer, which makes the tie rule compare them as numbers.
    public var itemIDsAreIntegers: Bool { itemIDs.allSatisfy { Int64($0) != nil } }

    /// `tieRank[item]`: the item's position when raw item ids are sorted by the DESIGN.md tie rule
    /// (as integers when all are integers, else as strings by Unicode code points).
    public func itemTieRanks() -> [Int32] {
        let order: [Int]
        if itemIDsAreIntegers {
            let values = itemIDs.map { Int64($0)! }
            order = itemIDs.indices.sorted { values[$0] != values[$1] ? values[$0] < values[$1] : $0 < $1 }
        } else {
            order = itemIDs.indices.sorted { itemIDs[$0].unicodeScalars.lexicographicallyPrecedes(itemIDs[$1].unicodeScalars) }
        }
        var ranks = [Int32](repeating: 0, count: numItems)
        for (rank, item) in order.enumerated() { ranks[item] = Int32(rank) }
        return ranks
    }

    /// Each user's interactions, indexed by user, ordered by timestamp with ties broken by raw item
    /// id (`itemTieRanks`), so one data set splits the same whatever file format it came from.
    public func chronologicalInteractions() -> [[Interaction]] {
        let ranks = itemTieRanks()
        var perUser = [[Interaction]](repeating: [], count: numUsers)
        for interaction in interactions { perUser[Int(interaction.user)].append(interaction) }
        for user in perUser.indices {
            perUser[user].sort {
                $0.timestamp != $1.timestamp ? $0.timestamp < $1.timestamp : ranks[Int($0.item)] < ranks[Int($1.item)]
            }
        }
        return perUser
    }

    /// Each user's item sequence, oldest first (see `chronologicalInteractions`), indexed by user.
    public func chronologicalSequences() -> [[Int32]] {
        chronologicalInteractions().map { $0.map(\.item) }
    }
}
