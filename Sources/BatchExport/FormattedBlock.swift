/// A block of users ranked and encoded by the scoring stage, on its way to the writer stage.
struct FormattedBlock: Sendable {
    /// Internal indices of the block's users, `[rows]`.
    var users: [Int32]
    /// The encoded rows, concatenated in user order.
    var bytes: [UInt8]
    /// End offset in `bytes` of each user's row(s), `[rows]`.
    var rowEnds: [Int]
    /// Output rows (`csv`: one per recommendation).
    var rowCount: Int
}
