/// The second half of the scoring stage: top-K selection and row encoding of a block of scored
/// users, on the calling worker's thread.
struct BlockRanker {
    let k: Int
    let encoder: RowEncoder
    let userIDs: [String]
    /// `[numItems]` flags of items no user gets (exclude list, outside the allow list).
    let globallySkipped: [Bool]
    let excludeHistory: Bool

    /// Ranks and encodes `users` (`[rows]`, with `histories` `[rows][len]`) from `scores`
    /// (row-major `[rows, numItems]`).
    func rank(users: [Int32], histories: [[Int32]], scores: UnsafeBufferPointer<Float>) -> FormattedBlock {
        let numItems = globallySkipped.count
        var skip = globallySkipped
        var selector = ThresholdTopK()
        var best: [(index: Int32, score: Float)] = []
        var block = FormattedBlock(users: users, bytes: [], rowEnds: [], rowCount: 0)
        block.rowEnds.reserveCapacity(users.count)
        for row in users.indices {
            if excludeHistory { for item in histories[row] where item >= 0 && Int(item) < numItems { skip[Int(item)] = true } }
            skip.withUnsafeBufferPointer { flags in
                selector.select(UnsafeBufferPointer(rebasing: scores[row * numItems..<(row + 1) * numItems]),
                                k: k, skip: flags, into: &best)
            }
            if excludeHistory {
                for item in histories[row] where item >= 0 && Int(item) < numItems {
                    skip[Int(item)] = globallySkipped[Int(item)]
                }
            }
            encoder.appendRow(user: userIDs[Int(users[row])], entries: best, to: &block.bytes)
            block.rowEnds.append(block.bytes.count)
            block.rowCount += encoder.format == .csv ? best.count : 1
        }
        return block
    }
}
