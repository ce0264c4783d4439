/// One user-item event after ingestion, with dense internal indices.
///
/// `user` indexes `InteractionDataset.userIDs`, `item` indexes `InteractionDataset.itemIDs`.
/// `timestamp` is seconds since the epoch as given by the source (0 when the source has none).
public struct Interaction: Equatable, Hashable, Sendable {
    public var user: Int32
    public var item: Int32
    public var rating: Float
    public var timestamp: Int64

    public init(user: Int32, item: Int32, rating: Float, timestamp: Int64) {
        self.user = user
        self.item = item
        self.rating = rating
        self.timestamp = timestamp
    }
}

/// Side information of one item, as text fields keyed by a normalised name
/// ("title", "year", "genres", "brand", "categories", "description", ...).
public struct ItemRecord: Equatable, Sendable, Codable {
    public var rawID: String
    public var fields: [String: String]

    public init(rawID: String, fields: [String: String]) {
        self.rawID = rawID
        self.fields = fields
    }

    /// The item's title, or its raw id when the source has no title.
    public var title: String { fields["title"] ?? rawID }
}

/// Attributes of one user (age, gender, occupation, zip code, ...), as text.
public struct UserRecord: Equatable, Sendable, Codable {
    public var rawID: String
    public var attributes: [String: String]

    public init(rawID: String, attributes: [String: String]) {
        self.rawID = rawID
        self.attributes = attributes
    }
}

/// A whole data set in memory, with raw ids mapped to dense indices `0..<count`.
///
/// `userIDs[u]` is the raw id of internal user `u`; `items[i]` (when present) describes `itemIDs[i]`.
public struct InteractionDataset: Sendable {
    public var name: String
    public var userIDs: [String]
    public var itemIDs: [String]
    /// Side information, aligned with `itemIDs`; empty records for items the source did not describe.
    public var items: [ItemRecord]
    /// Attributes aligned with `userIDs`; empty when the source has no user file.
    public var users: [UserRecord]
    public var interactions: [Interaction]

    public init(name: String, userIDs: [String], itemIDs: [String], items: [ItemRecord],
                users: [UserRecord], interactions: [Interaction]) {
        self.name = name
        self.userIDs = userIDs
        self.itemIDs = itemIDs
        self.items = items
        self.users = users
        self.interactions = interactions
    }

    public var numUsers: Int { userIDs.count }
    public var numItems: Int { itemIDs.count }
}
