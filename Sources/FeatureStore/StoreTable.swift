/// The named LMDB databases of a feature store; every key/value pair lives in exactly one.
///
/// Keys of per-dataset tables start with the dataset name and a 0 byte (see `StoreKey.prefix(_:)`).
public enum StoreTable: String, CaseIterable, Sendable {
    /// Item side information, one record per internal item index of a dataset.
    case items
    /// User attributes, one record per internal user index of a dataset.
    case users
    /// Interaction records of a dataset, packed in chunks.
    case interactions
    /// Per-dataset metadata (source files, filters, counts, version), keyed by dataset name.
    case datasets
    /// The artefact registry: one JSON `Artifact` per (name, version).
    case artifacts
    /// Optional binary payloads of artefacts, under the same keys as `artifacts`.
    case artifactBlobs
    /// Store-wide facts such as the schema version.
    case meta
}
