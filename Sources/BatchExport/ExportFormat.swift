/// How the top-K lists are written.
public enum ExportFormat: String, CaseIterable, Codable, Sendable {
    /// JSON lines, one user a line: `{"user":"196","items":["242","302"],"scores":[0.91,0.87]}`.
    case jsonl
    /// CSV with a header, one recommendation a row: `user,rank,item,score` (rank from 1).
    case csv
    /// The feature store's `users` table: one value a user (its JSON line, without the newline), keyed by
    /// `StoreKey.prefix("export/<dataset>/<model>/v<version>") + raw user id`: one lookup serves a user.
    case lmdb

    /// File name extension of part files (`lmdb` parts live in the store, not in files).
    var fileExtension: String { self == .csv ? "csv" : "jsonl" }
}
