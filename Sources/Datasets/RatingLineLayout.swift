/// The shape of a MovieLens ratings file: four separated fields `user item rating timestamp`.
struct RatingLineLayout {
    /// The field separator byte.
    let separator: UInt8
    /// Whether the separator is that byte twice (`::`).
    let doubled: Bool
    /// Whether line 1 may be a header (skipped when it does not start with a digit).
    let hasHeader: Bool
    /// A good line, for error messages.
    let expectation: String

    /// MovieLens 100K `u.data`.
    static let movieLens100K = RatingLineLayout(separator: UInt8(ascii: "\t"), doubled: false, hasHeader: false,
                                                expectation: "4 tab-separated fields (user id, item id, rating, timestamp)")
    /// MovieLens 1M/10M `ratings.dat`.
    static let movieLensDat = RatingLineLayout(separator: UInt8(ascii: ":"), doubled: true, hasHeader: false,
                                               expectation: "4 ::-separated fields (UserID::MovieID::Rating::Timestamp)")
    /// MovieLens 20M and later `ratings.csv`.
    static let movieLensCSV = RatingLineLayout(separator: UInt8(ascii: ","), doubled: false, hasHeader: true,
                                               expectation: "4 comma-separated fields (userId,movieId,rating,timestamp)")
}

extension ParseSession {
    /// Reads a MovieLens ratings file laid out as `layout` (the ingest hot path: no allocation per line).
    mutating func readRatings(at path: String, layout: RatingLineLayout) throws {
        try forEachLine(of: path, expecting: layout.expectation) { line, builder in
            if layout.hasHeader, line.number == 1, line.bytes[0] &- UInt8(ascii: "0") >= 10 { return }
            var fields = FieldCursor(line.bytes, separator: layout.separator, doubled: layout.doubled)
            guard let user = fields.next(), let item = fields.next(), let ratingField = fields.next(),
                  let timeField = fields.next(), fields.isAtEnd else {
                var counter = FieldCursor(line.bytes, separator: layout.separator, doubled: layout.doubled)
                throw LineIssue.fieldCount(expected: layout.expectation, found: counter.countRemaining())
            }
            let rating = try FieldValue.rating(ratingField)
            let timestamp = try FieldValue.timestamp(timeField)
            guard builder.addInteraction(userID: user, itemID: item, rating: rating, timestamp: timestamp) else {
                throw LineIssue("expected UTF-8 text in the user and item ids, found invalid bytes")
            }
        }
    }
}
