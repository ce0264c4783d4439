import FeatureStore
import Foundation

/// Everything that determines the bytes of an export; its digest (`fingerprint`) tags every part,
/// so a rerun reuses a finished part only when it would write the same bytes again.
public struct ExportJobDescription: Codable, Equatable, Sendable {
    public var dataset: String
    public var datasetVersion: Int
    public var model: String
    public var modelVersion: Int
    /// SHA-256 of the saved model file served (nil for a model made in memory).
    public var modelSHA256: String?
    public var k: Int
    public var format: ExportFormat
    /// `"i/N"`.
    public var shard: String
    public var partSize: Int
    public var excludeHistory: Bool
    /// SHA-256 of the sorted exclude list (internal indices, one per line), or nil when empty.
    public var excludeListSHA256: String?
    /// SHA-256 of the sorted allow list, or nil when there is none.
    public var allowListSHA256: String?
    public var numUsers: Int
    public var numItems: Int

    /// The description of exporting `source` under `request`.
    init(source: ExportSource, request: ExportRequest) {
        dataset = source.dataset
        datasetVersion = source.datasetVersion
        model = source.model
        modelVersion = source.modelVersion
        modelSHA256 = source.modelSHA256
        k = request.k
        format = request.format
        shard = request.shard.description
        partSize = request.partSize
        excludeHistory = request.excludeHistory
        excludeListSHA256 = request.excludedItems.isEmpty ? nil : Self.digest(of: request.excludedItems)
        allowListSHA256 = request.allowedItems.map(Self.digest)
        numUsers = source.userIDs.count
        numItems = source.itemIDs.count
    }

    /// SHA-256 of the description as sorted-key JSON.
    public var fingerprint: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return SHA256.hexDigest(of: (try? encoder.encode(self)) ?? Data())
    }

    private static func digest(of items: [Int32]) -> String {
        SHA256.hexDigest(of: Data(Set(items).sorted().map { "\($0)\n" }.joined().utf8))
    }
}
