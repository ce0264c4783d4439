import Foundation

// The artefact registry. Layout: `artifacts` maps `name, 0, version (UInt32 big-endian)` to the
// JSON `Artifact`; `artifactBlobs` holds the optional payload under the same key. Names are
// non-empty UTF-8 without 0 bytes, so one name's versions are one contiguous, numerically ordered
// key range.

extension WriteTransaction {
    /// Registers the next version of `name` (1 when new, previous + 1 otherwise) in this transaction.
    ///
    /// - Parameters:
    ///   - path: where the artefact's files live, if anywhere.
    ///   - blob: an optional binary payload stored in the registry itself (keep it to tens of MB).
    ///   - metadata: free-form facts to record with it.
    public func registerArtifact(named name: String, path: String? = nil, blob: [UInt8]? = nil,
                                 metadata: [String: String] = [:], createdAt: Date = Date()) throws -> Artifact {
        let version = (try latestArtifact(named: name)?.version ?? 0) + 1
        let artifact = Artifact(name: name, version: version, createdAt: createdAt, path: path,
                                metadata: metadata, blobByteCount: blob?.count)
        let key = try artifactKey(name, version: version)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        try put(.artifacts, key: key, value: try encoder.encode(artifact))
        if let blob { try put(.artifactBlobs, key: key, value: blob) }
        return artifact
    }
}

extension ReadTransaction {
    /// The highest registered version of `name`, or nil when `name` was never registered.
    public func latestArtifact(named name: String) throws -> Artifact? {
        try lastEntry(in: .artifacts, withPrefix: artifactPrefix(name)).map { try decodeArtifact($0.value) }
    }

    /// Version `version` of `name`, or nil when not registered.
    public func artifact(named name: String, version: Int) throws -> Artifact? {
        try get(.artifacts, key: artifactKey(name, version: version)).map(decodeArtifact)
    }

    /// Every registered version of `name`, oldest first.
    public func artifacts(named name: String) throws -> [Artifact] {
        var found: [Artifact] = []
        try forEachEntry(in: .artifacts, withPrefix: artifactPrefix(name)) { _, value in
            found.append(try decodeArtifact(value))
        }
        return found
    }

    /// Calls `body` with the payload of version `version` of `name` (no copy), or returns nil when
    /// that version has no payload.
    public func withArtifactBlob<R>(named name: String, version: Int,
                                    _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R? {
        try withValue(in: .artifactBlobs, key: artifactKey(name, version: version), body)
    }

    func artifactPrefix(_ name: String) throws -> [UInt8] {
        guard !name.isEmpty, !name.utf8.contains(0) else {
            throw StoreError.invalidName(path: store.path, name: name, reason: "artefact names are non-empty and contain no NUL")
        }
        return StoreKey.prefix(name)
    }

    func artifactKey(_ name: String, version: Int) throws -> [UInt8] {
        guard let encodedVersion = UInt32(exactly: version) else {
            throw StoreError.invalidName(path: store.path, name: name, reason: "version \(version) is out of range")
        }
        return try artifactPrefix(name) + StoreKey.bigEndian(encodedVersion)
    }

    private func decodeArtifact(_ bytes: [UInt8]) throws -> Artifact {
        do {
            return try JSONDecoder().decode(Artifact.self, from: Data(bytes))
        } catch {
            throw StoreError.corrupt(path: store.path, detail: "artefact record: \(error)")
        }
    }
}

extension FeatureStore {
    /// Registers the next version of `name` in its own write transaction (see `WriteTransaction`).
    @discardableResult
    public func registerArtifact(named name: String, path: String? = nil, blob: [UInt8]? = nil,
                                 metadata: [String: String] = [:]) throws -> Artifact {
        let createdAt = Date()
        return try write { try $0.registerArtifact(named: name, path: path, blob: blob, metadata: metadata, createdAt: createdAt) }
    }

    /// The highest registered version of `name`, or nil.
    public func latestArtifact(named name: String) throws -> Artifact? {
        try read { try $0.latestArtifact(named: name) }
    }

    /// Version `version` of `name`, or nil.
    public func artifact(named name: String, version: Int) throws -> Artifact? {
        try read { try $0.artifact(named: name, version: version) }
    }

    /// Every registered version of `name`, oldest first.
    public func artifacts(named name: String) throws -> [Artifact] {
        try read { try $0.artifacts(named: name) }
    }

    /// A copy of the payload of version `version` of `name`, or nil when it has none.
    public func artifactBlob(named name: String, version: Int) throws -> [UInt8]? {
        try read { try $0.withArtifactBlob(named: name, version: version) { Array($0) } }
    }
}
