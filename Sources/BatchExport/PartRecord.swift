/// One finished part: what the manifest lists and what a rerun checks before reusing it.
public struct PartRecord: Codable, Equatable, Sendable {
    /// Part name: the file name in the output folder (`lmdb`: the part's name in the store).
    public var name: String
    /// Users in the part.
    public var users: Int
    /// Rows written (`jsonl`, `lmdb`: one per user; `csv`: one per recommendation, header excluded).
    public var rows: Int
    /// Bytes of the part (`lmdb`: of its values, newline-terminated, in plan order).
    public var bytes: Int
    /// SHA-256 of those bytes, 64 lowercase hex characters.
    public var sha256: String
    /// `ExportJobDescription.fingerprint` of the job that wrote it.
    public var fingerprint: String
}
