/// Writes the binary indicator rows of `histories` into `rows` (`[histories.count, numItems]`,
/// row-major, zero-filled first): `rows[b, i] = 1` when item i occurs in history b. Out-of-range
/// items are ignored.
func writeHistoryIndicators(_ histories: [[Int32]], numItems: Int, into rows: UnsafeMutableBufferPointer<Float>) {
    precondition(rows.count >= histories.count * numItems, "indicator buffer too small")
    rows.update(repeating: 0)
    for (b, history) in histories.enumerated() {
        for item in history where item >= 0 && Int(item) < numItems { rows[b * numItems + Int(item)] = 1 }
    }
}

/// The unique in-range items of `history`, sorted.
func uniqueItems(of history: [Int32], numItems: Int) -> [Int32] {
    Array(Set(history.filter { $0 >= 0 && Int($0) < numItems })).sorted()
}
