import FeatureStore
import Foundation

// Persisting `InteractionDataset`s in the feature store.
//
// Layout: every key of data set `name` starts with `StoreKey.prefix(name)` (its UTF-8 bytes and a
// 0 byte), so one prefix deletion per table removes a data set completely:
//
//   datasets      prefix                              -> DatasetMetadata as JSON (sorted keys)
//   interactions  prefix + chunk index (UInt32, BE)   -> up to 65,536 packed 20-byte records in the
//                                                        data set's order (InteractionRecordCodec)
//   items         prefix + item index (UInt32, BE)    -> raw id + fields (TextRecordCodec)
//   users         prefix + user index (UInt32, BE)    -> raw id + attributes (TextRecordCodec)
//
// Indices are big-endian so key order is index order; records are written in that order, with
// MDB_APPEND when the data set's key range is the last one of its table.

extension FeatureStore {
    /// Stores `dataset` under `dataset.name` in one write transaction, replacing every key of a
    /// previous version, so a failure or a kill leaves the previous version intact.
    ///
    /// `metadata.version` and the three counts are set by the store. When the stored metadata
    /// already describes the same data (same source-file checksums, format, filters and counts),
    /// nothing is written and the outcome is `.unchanged`; otherwise the version is previous + 1.
    /// - Throws: `DatasetStoreError.invalidDataset` (bad name, misaligned records, index out of
    ///   range) before writing anything; `StoreError` from the store.
    public func saveDataset(_ dataset: InteractionDataset, metadata: DatasetMetadata) throws -> DatasetSaveOutcome {
        try dataset.validateForStorage(metadataName: metadata.name)
        var record = metadata
        record.userCount = dataset.numUsers
        record.itemCount = dataset.numItems
        record.interactionCount = dataset.interactions.count
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return try write { txn in
            let previous = try txn.datasetMetadata(named: dataset.name)
            if let previous, previous.describesSameData(as: record) {
                return .unchanged(version: previous.version)
            }
            var stored = record
            stored.version = (previous?.version ?? 0) + 1
            let prefix = StoreKey.prefix(dataset.name)
            for table in [StoreTable.datasets, .items, .users, .interactions] {
                try txn.deleteAll(in: table, withPrefix: prefix)
            }
            try txn.putInteractions(dataset.interactions, prefix: prefix)
            try txn.putTextRecords(in: .items, prefix: prefix, ids: dataset.itemIDs) { index in
                dataset.items.isEmpty ? nil : dataset.items[index].fields
            }
            try txn.putTextRecords(in: .users, prefix: prefix, ids: dataset.userIDs) { index in
                dataset.users.isEmpty ? nil : dataset.users[index].attributes
            }
            try txn.put(.datasets, key: prefix, value: try encoder.encode(stored))
            return .stored(version: stored.version)
        }
    }

    /// Loads the stored data set `name` from one consistent snapshot.
    ///
    /// `items` (and `users`) come back empty when the saved data set had none.
    /// - Throws: `DatasetStoreError.notFound` listing the stored names, `.corrupt`, `StoreError`.
    public func loadDataset(named name: String) throws -> InteractionDataset {
        try read { txn in
            guard let metadata = try txn.datasetMetadata(named: name) else {
                throw DatasetStoreError.notFound(name: name, storePath: path, available: try txn.datasetNames())
            }
            let prefix = StoreKey.prefix(name)
            let items = try txn.textRecords(in: .items, prefix: prefix, expectedCount: metadata.itemCount, dataset: name)
            let users = try txn.textRecords(in: .users, prefix: prefix, expectedCount: metadata.userCount, dataset: name)
            let interactions = try txn.interactions(prefix: prefix, metadata: metadata)
            return InteractionDataset(
                name: name, userIDs: users.ids, itemIDs: items.ids,
                items: items.fields.map { zip(items.ids, $0).map { ItemRecord(rawID: $0, fields: $1) } } ?? [],
                users: users.fields.map { zip(users.ids, $0).map { UserRecord(rawID: $0, attributes: $1) } } ?? [],
                interactions: interactions)
        }
    }

    /// The metadata of the stored data set `name`, or nil when there is none.
    public func datasetMetadata(named name: String) throws -> DatasetMetadata? {
        try read { try $0.datasetMetadata(named: name) }
    }

    /// The names of every stored data set, in byte order.
    public func datasetNames() throws -> [String] {
        try read { try $0.datasetNames() }
    }
}

extension ReadTransaction {
    /// The metadata of the stored data set `name`, or nil when there is none.
    public func datasetMetadata(named name: String) throws -> DatasetMetadata? {
        guard let bytes = try get(.datasets, key: StoreKey.prefix(name)) else { return nil }
        do {
            return try JSONDecoder().decode(DatasetMetadata.self, from: Data(bytes))
        } catch {
            throw DatasetStoreError.corrupt(name: name, storePath: storePath, detail: "metadata: \(error)")
        }
    }

    /// The names of every stored data set, in byte order.
    public func datasetNames() throws -> [String] {
        var names: [String] = []
        try forEachRawEntry(in: .datasets) { key, _ in
            names.append(String(decoding: key.dropLast(), as: UTF8.self))
        }
        return names
    }

    /// Decodes the text records under `prefix`: the raw ids, and the fields when the saved data
    /// set had records (nil when it only had ids).
    fileprivate func textRecords(in table: StoreTable, prefix: [UInt8], expectedCount: Int,
                                 dataset: String) throws -> (ids: [String], fields: [[String: String]]?) {
        var ids: [String] = []
        var fields: [[String: String]] = []
        var described = false
        ids.reserveCapacity(expectedCount)
        fields.reserveCapacity(expectedCount)
        try forEachRawEntry(in: table, withPrefix: prefix) { key, value in
            guard StoreKey.readBigEndian(UInt32.self, from: key, at: prefix.count) == UInt32(ids.count),
                  key.count == prefix.count + 4,
                  let record = TextRecordCodec.decode(value) else {
                throw DatasetStoreError.corrupt(name: dataset, storePath: storePath,
                                                detail: "\(table.rawValue) record \(ids.count) is missing or malformed")
            }
            ids.append(record.id)
            fields.append(record.fields ?? [:])
            described = described || record.fields != nil
        }
        guard ids.count == expectedCount else {
            throw DatasetStoreError.corrupt(name: dataset, storePath: storePath,
                                            detail: "\(ids.count) \(table.rawValue) stored, metadata says \(expectedCount)")
        }
        return (ids, described ? fields : nil)
    }

    /// Decodes the interaction chunks under `prefix`, checking their order, size and indices.
    fileprivate func interactions(prefix: [UInt8], metadata: DatasetMetadata) throws -> [Interaction] {
        let expected = metadata.interactionCount
        let recordSize = InteractionRecordCodec.recordByteCount
        let corrupt = { (detail: String) in
            DatasetStoreError.corrupt(name: metadata.name, storePath: self.storePath, detail: detail)
        }
        return try [Interaction](unsafeUninitializedCapacity: expected) { buffer, initializedCount in
            var chunkIndex: UInt32 = 0
            try forEachRawEntry(in: .interactions, withPrefix: prefix) { key, value in
                let count = value.count / recordSize
                guard key.count == prefix.count + 4,
                      StoreKey.readBigEndian(UInt32.self, from: key, at: prefix.count) == chunkIndex,
                      value.count % recordSize == 0, initializedCount + count <= expected else {
                    throw corrupt("interaction chunk \(chunkIndex) is missing or malformed")
                }
                let chunk = UnsafeMutableBufferPointer(rebasing: buffer[initializedCount..<initializedCount + count])
                InteractionRecordCodec.decode(value, into: chunk)
                initializedCount += count
                if let bad = chunk.firstIndex(where: {
                    !(0..<Int32(metadata.userCount)).contains($0.user) || !(0..<Int32(metadata.itemCount)).contains($0.item)
                }) {
                    throw corrupt("interaction \(initializedCount - count + bad) refers to a user or item out of range")
                }
                chunkIndex += 1
            }
            guard initializedCount == expected else {
                throw corrupt("\(initializedCount) interactions stored, metadata says \(expected)")
            }
        }
    }
}

extension WriteTransaction {
    /// Writes `interactions` as packed chunks under `prefix` + chunk index, in place (MDB_RESERVE).
    fileprivate func putInteractions(_ interactions: [Interaction], prefix: [UInt8]) throws {
        let append = try isLastKeyRange(prefix, in: .interactions)
        let chunkSize = InteractionRecordCodec.recordsPerChunk
        for (chunkIndex, start) in stride(from: 0, to: interactions.count, by: chunkSize).enumerated() {
            let chunk = interactions[start..<min(start + chunkSize, interactions.count)]
            try put(.interactions, key: prefix + StoreKey.bigEndian(UInt32(chunkIndex)),
                    reservingByteCount: chunk.count * InteractionRecordCodec.recordByteCount, append: append) {
                InteractionRecordCodec.encode(chunk, into: $0)
            }
        }
    }

    /// Writes one text record per id under `prefix` + index; `fields(index)` is nil for ids the
    /// source did not describe.
    fileprivate func putTextRecords(in table: StoreTable, prefix: [UInt8], ids: [String],
                                    fields: (Int) -> [String: String]?) throws {
        let append = try isLastKeyRange(prefix, in: table)
        var record: [UInt8] = []
        for (index, id) in ids.enumerated() {
            TextRecordCodec.encode(id: id, fields: fields(index), into: &record)
            try put(table, key: prefix + StoreKey.bigEndian(UInt32(index)), value: record, append: append)
        }
    }

    /// Whether every key of `table` sorts before `prefix`, so keys under it can be appended.
    private func isLastKeyRange(_ prefix: [UInt8], in table: StoreTable) throws -> Bool {
        try lastKey(in: table).map { $0.lexicographicallyPrecedes(prefix) } ?? true
    }
}

extension InteractionDataset {
    /// Throws `DatasetStoreError.invalidDataset` unless the data set can be stored and loaded back
    /// as it is: a usable name, records aligned with ids, every interaction index in range.
    fileprivate func validateForStorage(metadataName: String) throws {
        func invalid(_ reason: String) -> DatasetStoreError { .invalidDataset(name: name, reason: reason) }
        guard !name.isEmpty, !name.utf8.contains(0), name.utf8.count <= 400 else {
            throw invalid("names are 1 to 400 UTF-8 bytes without NUL")
        }
        guard metadataName == name else { throw invalid("its metadata is named \(String(reflecting: metadataName))") }
        guard items.isEmpty || items.map(\.rawID) == itemIDs else {
            throw invalid("items must be empty or describe itemIDs one to one, in order")
        }
        guard users.isEmpty || users.map(\.rawID) == userIDs else {
            throw invalid("users must be empty or describe userIDs one to one, in order")
        }
        let userRange = 0..<Int32(clamping: numUsers)
        let itemRange = 0..<Int32(clamping: numItems)
        if let bad = interactions.firstIndex(where: { !userRange.contains($0.user) || !itemRange.contains($0.item) }) {
            let interaction = interactions[bad]
            throw invalid("interaction \(bad) has user \(interaction.user) and item \(interaction.item), "
                + "but there are \(numUsers) users and \(numItems) items")
        }
    }
}
