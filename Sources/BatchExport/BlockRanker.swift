import Dispatch

/// The parallel half of the scoring stage: top-K selection and row encoding of a block of scored
/// users, split into row ranges run with `DispatchQueue.concurrentPerform`.
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
        let rows = users.count
        let chunkCount = min(rows, 4 * ProcessInfoCores.active)
        var chunks = [FormattedBlock?](repeating: nil, count: chunkCount)
        chunks.withUnsafeMutableBufferPointer { output in
            DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                let range = (chunk * rows / chunkCount)..<((chunk + 1) * rows / chunkCount)
                var skip = globallySkipped
                var selector = ThresholdTopK()
                var best: [(index: Int32, score: Float)] = []
                var block = FormattedBlock(users: Array(users[range]), bytes: [], rowEnds: [], rowCount: 0)
                block.rowEnds.reserveCapacity(range.count)
                for row in range {
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
                output[chunk] = block
            }
        }
        var merged = FormattedBlock(users: users, bytes: [], rowEnds: [], rowCount: 0)
        merged.bytes.reserveCapacity(chunks.reduce(0) { $0 + $1!.bytes.count })
        for chunk in chunks {
            let offset = merged.bytes.count
            merged.bytes.append(contentsOf: chunk!.bytes)
            merged.rowEnds.append(contentsOf: chunk!.rowEnds.map { $0 + offset })
            merged.rowCount += chunk!.rowCount
        }
        return merged
    }
}
