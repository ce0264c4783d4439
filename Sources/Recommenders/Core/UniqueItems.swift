/// The unique in-range items of `history`, sorted.
func uniqueItems(of history: [Int32], numItems: Int) -> [Int32] {
    Array(Set(history.filter { $0 >= 0 && Int($0) < numItems })).sorted()
}
