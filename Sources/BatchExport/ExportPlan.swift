/// Which users this shard exports and how they are cut into parts: a pure function of the data set
/// and the request, so a rerun finds the same parts under the same names.
struct ExportPlan {
    /// Internal indices of this shard's users, ascending, `[shardUsers]`.
    let users: [Int32]
    let partSize: Int
    let shard: ShardSpec
    let format: ExportFormat

    /// The plan for `request` over users with raw ids `userIDs` (`[numUsers]`).
    init(userIDs: [String], request: ExportRequest) {
        precondition(request.partSize > 0, "parts need at least one user")
        users = userIDs.indices.filter { request.shard.contains(rawUserID: userIDs[$0]) }.map { Int32($0) }
        partSize = request.partSize
        shard = request.shard
        format = request.format
    }

    /// Number of parts (0 for a shard without users).
    var partCount: Int { (users.count + partSize - 1) / partSize }

    /// The users of part `part`, ascending.
    func users(ofPart part: Int) -> ArraySlice<Int32> {
        users[part * partSize..<min(users.count, (part + 1) * partSize)]
    }

    /// `part-<i>-of-<N>-<part, 5 digits>.<ext>` (no extension for parts kept in the store).
    func partName(_ part: Int) -> String {
        let number = String(part)
        let base = "part-\(shard.index)-of-\(shard.count)-" + String(repeating: "0", count: max(0, 5 - number.count)) + number
        return format == .lmdb ? base : base + "." + format.fileExtension
    }
}
