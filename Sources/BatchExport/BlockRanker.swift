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

    /// Scores and ranks `users` tile by tile through `scorer`: for each slice of `cacheBytesPerTile`
    /// worth of item scores, one GEMM of `paddedUsers` into `scores` (the first `paddedUsers.count x
    /// tile` floats are used), then every row's selection takes the tile while it is still cached.
    /// Gives exactly what `rank` gives on the whole row.
    func rankTiles(users: [Int32], histories: [[Int32]], paddedUsers: [Int32], paddedHistories: [[Int32]],
                   scorer: any TileScorer, scores: UnsafeMutableBufferPointer<Float>) -> FormattedBlock {
        let numItems = globallySkipped.count
        let rows = paddedUsers.count
        let tile = max(256, Self.cacheBytesPerTile / (MemoryLayout<Float>.stride * rows)) / 16 * 16
        let vectors = scorer.userVectors(users: paddedUsers, histories: paddedHistories)
        let sortedHistories = excludeHistory ? histories.map { $0.filter { $0 >= 0 && Int($0) < numItems }.sorted() } : []
        var cursors = [Int](repeating: 0, count: users.count)
        var selectors = [ThresholdTopK](repeating: ThresholdTopK(), count: users.count)
        for row in users.indices { selectors[row].start(k: k) }
        var skip = globallySkipped
        for first in stride(from: 0, to: numItems, by: tile) {
            let items = first..<min(numItems, first + tile)
            scorer.scoreTile(of: vectors, rows: rows, items: items, into: scores)
            for row in users.indices {
                // The history items inside this tile, flagged for this row only.
                let historyStart = cursors[row]
                if excludeHistory {
                    while cursors[row] < sortedHistories[row].count && Int(sortedHistories[row][cursors[row]]) < items.upperBound {
                        skip[Int(sortedHistories[row][cursors[row]])] = true
                        cursors[row] += 1
                    }
                }
                skip.withUnsafeBufferPointer { flags in
                    selectors[row].consume(UnsafeBufferPointer(rebasing: scores[row * items.count..<(row + 1) * items.count]),
                                           firstIndex: first, skip: UnsafeBufferPointer(rebasing: flags[items]))
                }
                if excludeHistory {
                    for item in sortedHistories[row][historyStart..<cursors[row]] { skip[Int(item)] = globallySkipped[Int(item)] }
                }
            }
        }
        var block = FormattedBlock(users: users, bytes: [], rowEnds: [], rowCount: 0)
        block.rowEnds.reserveCapacity(users.count)
        var best: [(index: Int32, score: Float)] = []
        for row in users.indices {
            selectors[row].finish(into: &best)
            // The kept items rescored in a fixed summation order, so the bytes do not depend on the shard.
            best = best.map { ($0.index, scorer.exactScore(of: vectors, row: row, item: $0.index)) }
            best.sort { ranksAbove($0.score, $0.index, $1.score, $1.index) }
            append(user: users[row], best, to: &block)
        }
        return block
    }

    /// Bytes of scores one tile may take: two tiles in flight stay well inside the shared L3 cache
    /// (measured on the 200,000 x 50,000 benchmark: 256 KiB 30.5 s, 512 KiB 23.0 s, 2 MiB 22.7 s,
    /// 6 MiB 30.5 s; 256 KiB tiles are too narrow for an efficient GEMM).
    static let cacheBytesPerTile = 2 << 20

    /// Encodes one user's list at the end of `block`.
    private func append(user: Int32, _ best: [(index: Int32, score: Float)], to block: inout FormattedBlock) {
        encoder.appendRow(user: userIDs[Int(user)], entries: best, to: &block.bytes)
        block.rowEnds.append(block.bytes.count)
        block.rowCount += encoder.format == .csv ? best.count : 1
    }
}
