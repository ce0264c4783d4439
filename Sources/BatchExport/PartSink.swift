/// Where finished blocks go: a part is begun, filled block by block in user order and finished, at
/// which point it becomes visible to readers all at once, with its record.
protocol PartSink: AnyObject {
    /// Removes what killed runs left half-written (temporary files); finished parts stay.
    func removeLeftovers() throws
    /// The record of part `name` if it was finished by a job with `fingerprint` and still matches
    /// its checksum; nil when it must be (re)computed.
    func finishedRecord(of name: String, users: ArraySlice<Int32>, fingerprint: String) throws -> PartRecord?
    /// Whether the part `record` describes (users `users`) is present and matches its SHA-256.
    func matches(_ record: PartRecord, users: ArraySlice<Int32>) throws -> Bool
    /// Starts part `name`.
    func begin(_ name: String) throws
    /// Appends the next block of the current part.
    func append(_ block: FormattedBlock) throws
    /// Makes the current part visible and returns its record.
    func finish(users: Int, fingerprint: String) throws -> PartRecord
}
