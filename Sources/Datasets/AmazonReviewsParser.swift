/// The keys of an Amazon reviews JSON line.
struct AmazonReviewKeys {
    let user: String
    let item: String
    let rating: String
    let timestamp: String
    /// The timestamp's units per second (1000 for milliseconds).
    let timestampUnitsPerSecond: Int64

    /// Amazon 2014 and 2018: `reviewerID`, `asin`, `overall`, `unixReviewTime` (seconds).
    static let amazon2014And2018 = AmazonReviewKeys(user: "reviewerID", item: "asin", rating: "overall",
                                                    timestamp: "unixReviewTime", timestampUnitsPerSecond: 1)
    /// Amazon 2023: `user_id`, `parent_asin`, `rating`, `timestamp` (milliseconds).
    static let amazon2023 = AmazonReviewKeys(user: "user_id", item: "parent_asin", rating: "rating",
                                             timestamp: "timestamp", timestampUnitsPerSecond: 1000)

    /// A good line, for error messages.
    var expectation: String { "a JSON object with \(user), \(item), \(rating) and \(timestamp)" }
}

extension ParseSession {
    /// Reads Amazon reviews, one JSON object per line, keeping only the four keys of `keys`.
    mutating func readAmazonReviews(at path: String, keys: AmazonReviewKeys) throws {
        let names = [keys.user, keys.item, keys.rating, keys.timestamp].map { Array($0.utf8) }
        try forEachLine(of: path, expecting: keys.expectation) { line, builder in
            var found = [LiteralParser.Field?](repeating: nil, count: 4)
            var parser = LiteralParser(line.bytes, dialect: .json)
            do {
                try parser.forEachField { field in
                    if let slot = names.firstIndex(where: { field.key.elementsEqual($0) }) { found[slot] = field }
                }
            } catch let error as StructuredValueSyntaxError {
                throw LineIssue.syntax(error, expected: keys.expectation)
            }
            guard let user = found[0], let item = found[1], let ratingField = found[2], let timeField = found[3] else {
                let missing = zip([keys.user, keys.item, keys.rating, keys.timestamp], found).first { $0.1 == nil }!.0
                throw LineIssue("expected \(keys.expectation), found no \(missing)")
            }
            guard user.isString, item.isString else {
                throw LineIssue("expected strings for \(keys.user) and \(keys.item), found \(FieldValue.quoted(user.isString ? item.value : user.value))")
            }
            let rating = try FieldValue.rating(ratingField.value, field: keys.rating)
            let timestamp = try FieldValue.timestamp(timeField.value, field: keys.timestamp) / keys.timestampUnitsPerSecond
            if !user.hasEscapes, !item.hasEscapes,
               builder.addInteraction(userID: user.value, itemID: item.value, rating: rating, timestamp: timestamp) { return }
            guard let userID = parser.decodeString(user.value, hasEscapes: user.hasEscapes, quote: user.quote),
                  let itemID = parser.decodeString(item.value, hasEscapes: item.hasEscapes, quote: item.quote) else {
                throw LineIssue("expected UTF-8 text and valid escapes in \(keys.user) and \(keys.item), found invalid bytes")
            }
            builder.addInteraction(userID: userID, itemID: itemID, rating: rating, timestamp: timestamp)
        }
    }
}
