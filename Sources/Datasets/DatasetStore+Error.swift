/// Why a data set could not be saved to or loaded from the feature store (one line each).
public enum DatasetStoreError: Error, Equatable, CustomStringConvertible {
    /// No data set of that name is stored; `available` lists the stored names.
    case notFound(name: String, storePath: String, available: [String])
    /// The data set cannot be stored as given (bad name, misaligned records, index out of range).
    case invalidDataset(name: String, reason: String)
    /// The stored records do not form a valid data set.
    case corrupt(name: String, storePath: String, detail: String)

    /// One line naming the data set and what went wrong.
    public var description: String {
        switch self {
        case let .notFound(name, storePath, available):
            let stored = available.isEmpty ? "none (ingest one first)" : available.joined(separator: ", ")
            return "no data set named \(String(reflecting: name)) in store at \(storePath); stored data sets: \(stored)"
        case let .invalidDataset(name, reason):
            return "cannot store data set \(String(reflecting: name)): \(reason)"
        case let .corrupt(name, storePath, detail):
            return "data set \(String(reflecting: name)) in store at \(storePath) is damaged: \(detail)"
        }
    }
}
