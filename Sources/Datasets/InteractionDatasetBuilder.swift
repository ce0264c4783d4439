/// Collects interactions, item records and user records while a parser streams through a dump,
/// mapping raw user and item ids to dense `Int32` indices in first-seen order.
///
/// Interactions define the catalogue and the user set: item and user records for ids that never
/// occur in an interaction are ignored (a meta file usually describes far more items than a
/// filtered review file uses).
public struct InteractionDatasetBuilder {
    private var users = RawIDIndex()
    private var items = RawIDIndex()
    private var itemFields: [[String: String]] = []
    private var userAttributes: [[String: String]] = []
    /// Every interaction added so far, in input order.
    public private(set) var interactions: [Interaction] = []

    /// An empty builder; `expectedInteractions` reserves memory up front.
    public init(expectedInteractions: Int = 0) {
        interactions.reserveCapacity(expectedInteractions)
    }

    /// Number of distinct users seen so far.
    public var numUsers: Int { users.rawIDs.count }
    /// Number of distinct items seen so far.
    public var numItems: Int { items.rawIDs.count }
    /// Number of items that have received side information.
    public private(set) var describedItemCount = 0
    /// Number of users that have received attributes.
    public private(set) var describedUserCount = 0

    /// Adds one interaction between raw ids `userID` and `itemID`.
    public mutating func addInteraction(userID: String, itemID: String, rating: Float, timestamp: Int64) {
        let user = users.index(forRawID: userID)
        let item = items.index(forRawID: itemID)
        interactions.append(Interaction(user: user, item: item, rating: rating, timestamp: timestamp))
    }

    /// Adds one interaction between ids given as UTF-8 bytes; false (nothing added) for invalid UTF-8.
    mutating func addInteraction(userID: UnsafeBufferPointer<UInt8>, itemID: UnsafeBufferPointer<UInt8>,
                                 rating: Float, timestamp: Int64) -> Bool {
        guard let user = users.index(forRawID: userID), let item = items.index(forRawID: itemID) else { return false }
        interactions.append(Interaction(user: user, item: item, rating: rating, timestamp: timestamp))
        return true
    }

    /// Whether `rawID` occurs in an interaction added so far.
    public func containsItem(rawID: String) -> Bool { items.existingIndex(forRawID: rawID) != nil }

    /// Merges `fields` into the record of item `rawID`; returns false (ignored) for an unknown item.
    @discardableResult
    public mutating func addItemFields(rawID: String, fields: [String: String]) -> Bool {
        guard let item = items.existingIndex(forRawID: rawID) else { return false }
        if itemFields.count <= Int(item) { itemFields += Array(repeating: [:], count: numItems - itemFields.count) }
        if itemFields[Int(item)].isEmpty, !fields.isEmpty { describedItemCount += 1 }
        itemFields[Int(item)].merge(fields) { _, new in new }
        return true
    }

    /// Merges `attributes` into the record of user `rawID`; returns false (ignored) for an unknown user.
    @discardableResult
    public mutating func addUserAttributes(rawID: String, attributes: [String: String]) -> Bool {
        guard let user = users.existingIndex(forRawID: rawID) else { return false }
        if userAttributes.count <= Int(user) { userAttributes += Array(repeating: [:], count: numUsers - userAttributes.count) }
        if userAttributes[Int(user)].isEmpty, !attributes.isEmpty { describedUserCount += 1 }
        userAttributes[Int(user)].merge(attributes) { _, new in new }
        return true
    }

    /// The data set. `items` always has one record per item (empty fields where none was given);
    /// `users` has one record per user when any user attributes were given, else it is empty.
    public func build(name: String) -> InteractionDataset {
        let itemRecords = items.rawIDs.enumerated().map { index, rawID in
            ItemRecord(rawID: rawID, fields: index < itemFields.count ? itemFields[index] : [:])
        }
        let userRecords = userAttributes.isEmpty ? [] : users.rawIDs.enumerated().map { index, rawID in
            UserRecord(rawID: rawID, attributes: index < userAttributes.count ? userAttributes[index] : [:])
        }
        return InteractionDataset(name: name, userIDs: users.rawIDs, itemIDs: items.rawIDs, items: itemRecords,
                                  users: userRecords, interactions: interactions)
    }
}
