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
            append(user: users[row], best, to: &block)
        }
        return block
    }

    /// Ranks and encodes `users` (`[rows]`) from their dot-product `vectors` (`[rows, dim]`) through
    /// `kernel`, which never writes the scores out. Gives what `rank` gives on the rows of scores the
    /// kernel's arithmetic defines.
    func rankDotProducts(users: [Int32], histories: [[Int32]], vectors: [Float], kernel: DotProductTopK) -> FormattedBlock {
        let numItems = globallySkipped.count
        let sortedHistories = excludeHistory
            ? histories.map { $0.filter { $0 >= 0 && Int($0) < numItems }.sorted() }
            : [[Int32]](repeating: [], count: users.count)
        var selectors = [ThresholdTopK](repeating: ThresholdTopK(), count: users.count)
        for row in users.indices { selectors[row].start(k: k) }
        kernel.select(vectors: vectors, rows: users.count, sortedHistories: sortedHistories, into: &selectors)
        var block = FormattedBlock(users: users, bytes: [], rowEnds: [], rowCount: 0)
        block.rowEnds.reserveCapacity(users.count)
        var best: [(index: Int32, score: Float)] = []
        for row in users.indices {
            selectors[row].finish(into: &best)
            append(user: users[row], best, to: &block)
        }
        return block
    }

    /// Encodes one user's list at the end of `block`.
    private func append(user: Int32, _ best: [(index: Int32, score: Float)], to block: inout FormattedBlock) {
        encoder.appendRow(user: userIDs[Int(user)], entries: best, to: &block.bytes)
        block.rowEnds.append(block.bytes.count)
        block.rowCount += encoder.format == .csv ? best.count : 1
    }
}
