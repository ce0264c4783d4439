import CLMDB

/// The LMDB-backed feature store (placeholder until the store lands).
public enum FeatureStoreVersion {
    public static let lmdbVersion = String(cString: mdb_version(nil, nil, nil))
}
