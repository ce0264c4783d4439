extension InteractionDataset {
    /// Whether every raw item id is a decimal integer, which makes `itemTieRanks` compare them as numbers.
    public var itemIDsAreIntegers: Bool { itemIDs.allSatisfy { Int64($0) != nil } }

    /// `tieRank[item]`: the item's position when raw item ids are sorted (as integers when all are
    /// integers, else as strings by Unicode code points): the order of `TieBreak.itemID`, and the
    /// fallback of `TieBreak.seededHash` for equal hashes.
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

    /// Each user's interactions, indexed by user, ordered by timestamp with ties ordered by
    /// `tieBreak` (then by raw item id, then by input order), so one data set splits the same
    /// whatever file format it came from.
    public func chronologicalInteractions(tieBreak: TieBreak = .default) -> [[Interaction]] {
        let ranks = itemTieRanks()
        let keys = tieBreak.keys(for: self, ranks: ranks), interactions = self.interactions
        var perUser = [[Int]](repeating: [], count: numUsers)
        for (index, interaction) in interactions.enumerated() { perUser[Int(interaction.user)].append(index) }
        return perUser.map { indices in
            indices.sorted { a, b in
                let (x, y) = (interactions[a], interactions[b])
                if x.timestamp != y.timestamp { return x.timestamp < y.timestamp }
                if keys[a] != keys[b] { return keys[a] < keys[b] }
                if ranks[Int(x.item)] != ranks[Int(y.item)] { return ranks[Int(x.item)] < ranks[Int(y.item)] }
                return a < b
            }.map { interactions[$0] }
        }
    }

    /// Each user's item sequence, oldest first (see `chronologicalInteractions`), indexed by user.
    public func chronologicalSequences(tieBreak: TieBreak = .default) -> [[Int32]] {
        chronologicalInteractions(tieBreak: tieBreak).map { $0.map(\.item) }
    }
}
