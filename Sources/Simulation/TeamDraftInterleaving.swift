import SeededRandom
/// Team-draft interleaving (Radlinski, Kurup & Joachims, "How does clickthrough data reflect
/// retrieval quality?", CIKM 2008): two rankers pick items for one slate like captains picking
/// teams. In each round the team with fewer picks (a coin flip when even) adds its best item not yet
/// on the slate; a click credits the team that picked the item.
public enum TeamDraftInterleaving {
    /// Which ranker contributed a slate position.
    public enum Team: String, Codable, Sendable {
        /// Ranker A.
        case a
        /// Ranker B.
        case b
    }

    /// Interleaves `a` and `b` (each best first) into at most `size` distinct items, with the team
    /// of each position; coin flips come from `random`. A team whose list runs out stops picking.
    public static func interleave(_ a: [Int32], _ b: [Int32], size: Int,
                                  random: inout SplitMix64) -> (items: [Int32], teams: [Team]) {
        var items: [Int32] = [], teams: [Team] = []
        var onSlate = Set<Int32>()
        var (nextA, nextB) = (0, 0)
        var (picksA, picksB) = (0, 0)
        func advance(_ next: inout Int, in list: [Int32]) {
            while next < list.count && onSlate.contains(list[next]) { next += 1 }
        }
        while items.count < size {
            advance(&nextA, in: a)
            advance(&nextB, in: b)
            let aCanPick = nextA < a.count, bCanPick = nextB < b.count
            guard aCanPick || bCanPick else { break }
            let aPicks = !bCanPick || (aCanPick && (picksA < picksB || (picksA == picksB && random.next() & 1 == 0)))
            let item = aPicks ? a[nextA] : b[nextB]
            items.append(item)
            teams.append(aPicks ? .a : .b)
            onSlate.insert(item)
            if aPicks { picksA += 1 } else { picksB += 1 }
        }
        return (items, teams)
    }

    /// The session's verdict: `+1` when A's items got more clicks, `-1` when B's did, 0 for a tie.
    public static func credit(clicked: [Bool], teams: [Team]) -> Int {
        var balance = 0
        for (click, team) in zip(clicked, teams) where click { balance += team == .a ? 1 : -1 }
        return balance.signum()
    }
}
