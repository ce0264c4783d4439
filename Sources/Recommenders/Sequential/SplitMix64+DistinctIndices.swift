import SeededRandom

extension SplitMix64 {
    /// A uniform `count`-subset of `0..<bound` by Floyd's algorithm: exactly `count` draws, no
    /// repeats, in the order drawn (not sorted). `count` must lie in `0...bound`.
    mutating func distinctIndices(count: Int, below bound: Int) -> [Int] {
        precondition((0...bound).contains(count), "cannot draw \(count) distinct indices below \(bound)")
        var chosen = Set<Int>(minimumCapacity: count)
        var picks: [Int] = []
        picks.reserveCapacity(count)
        for j in (bound - count)..<bound {
            let t = nextIndex(below: j + 1)
            let pick = chosen.contains(t) ? j : t
            chosen.insert(pick)
            picks.append(pick)
        }
        return picks
    }
}
