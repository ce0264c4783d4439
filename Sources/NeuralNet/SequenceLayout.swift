/// Where the sequences of a batch live in a `[rowCount, dim]` activation buffer.
///
/// Sequence `b` occupies rows `starts[b] ..< starts[b] + lengths[b]`, oldest position first.
/// Rows that belong to no sequence are padding: attention never reads them as keys and writes
/// zeros for them as queries (the padding mask), and losses skip them.
///
/// Two layouts matter in practice: `padded` is the usual `[batch, seqLen, dim]` tensor with each
/// sequence left-aligned; `packed` stores the sequences back to back with no padding at all, so
/// linear layers and losses do no work for padding (what SASRec trains with).
public struct SequenceLayout: Equatable, Sendable {
    /// Rows of the activation buffer, padding included.
    public let rowCount: Int
    /// First row of each sequence, `[batch]`.
    public let starts: [Int]
    /// Positions of each sequence, `[batch]`.
    public let lengths: [Int]

    /// A layout with explicit rows; segments must lie inside `0..<rowCount` and not overlap.
    public init(rowCount: Int, starts: [Int], lengths: [Int]) {
        precondition(starts.count == lengths.count, "one start per length")
        precondition(zip(starts, lengths).allSatisfy { $0 >= 0 && $1 >= 0 && $0 + $1 <= rowCount },
                     "a sequence lies outside the \(rowCount) rows")
        self.rowCount = rowCount
        self.starts = starts
        self.lengths = lengths
    }

    /// Sequences of `lengths` stored back to back: `rowCount = Σ lengths`.
    public static func packed(lengths: [Int]) -> SequenceLayout {
        var starts: [Int] = []
        starts.reserveCapacity(lengths.count)
        var row = 0
        for length in lengths {
            starts.append(row)
            row += length
        }
        return SequenceLayout(rowCount: row, starts: starts, lengths: lengths)
    }

    /// A `[batch, sequenceLength]` grid in which sequence `b` holds its first `lengths[b]` rows
    /// and the rest are padding.
    public static func padded(sequenceLength: Int, lengths: [Int]) -> SequenceLayout {
        precondition(lengths.allSatisfy { $0 <= sequenceLength }, "a length exceeds \(sequenceLength)")
        return SequenceLayout(rowCount: sequenceLength * lengths.count,
                              starts: lengths.indices.map { $0 * sequenceLength }, lengths: lengths)
    }

    /// Number of sequences.
    public var count: Int { starts.count }

    /// Number of non-padding rows.
    public var positionCount: Int { lengths.reduce(0, +) }

    /// The row of each sequence's last position, `[batch]` (sequences must be non-empty).
    public var lastRows: [Int] {
        zip(starts, lengths).map { precondition($1 > 0, "empty sequence has no last row"); return $0 + $1 - 1 }
    }

    /// For every row, its position within its sequence, or -1 for padding rows, `[rowCount]`.
    public var positions: [Int32] {
        var positions = [Int32](repeating: -1, count: rowCount)
        for (start, length) in zip(starts, lengths) {
            for t in 0..<length { positions[start + t] = Int32(t) }
        }
        return positions
    }
}
