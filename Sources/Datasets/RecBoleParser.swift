extension ParseSession {
    private static let recBoleExpectation = "a header of tab-separated name:type columns"
    /// RecBole item columns renamed to the normalised `ItemRecord` field names (ML-100K names its
    /// genres `class`, ML-1M `genre`).
    private static let recBoleItemFieldNames = ["movie_title": "title", "release_year": "year", "class": "genres",
                                                "genre": "genres"]

    /// Reads a RecBole `.inter` file: `user_id` and `item_id` required, `rating` (default 1) and
    /// `timestamp` (default 0) used when present, other columns ignored.
    mutating func readRecBoleInteractions(at path: String) throws {
        var header: RecBoleHeader?
        var columns = (user: 0, item: 0, rating: Int?.none, timestamp: Int?.none)
        var fields: [UnsafeBufferPointer<UInt8>] = []
        try forEachLine(of: path, expecting: Self.recBoleExpectation) { line, builder in
            guard let header else {
                let parsed = try RecBoleHeader(line.bytes)
                columns = (try parsed.column("user_id"), try parsed.column("item_id"),
                           parsed.names.firstIndex(of: "rating"), parsed.names.firstIndex(of: "timestamp"))
                header = parsed
                return
            }
            try header.split(line.bytes, into: &fields)
            let rating = try columns.rating.map { try FieldValue.rating(fields[$0]) } ?? 1
            let timestamp = try columns.timestamp.map { try FieldValue.timestamp(fields[$0]) } ?? 0
            guard builder.addInteraction(userID: fields[columns.user], itemID: fields[columns.item],
                                         rating: rating, timestamp: timestamp) else {
                throw LineIssue("expected UTF-8 text in user_id and item_id, found invalid bytes")
            }
        }
    }

    /// Reads a RecBole `.item` file: `item_id` required; movie_title, release_year and class or genre
    /// become title, year and genres (genre tokens joined with ", "); other columns keep their names
    /// (title, brand, categories, description ... in RecBole's Amazon files) and their text as is.
    mutating func readRecBoleItems(at path: String) throws {
        try readRecBoleRecords(at: path, idColumn: "item_id") { rawID, header, values, builder in
            var record: [String: String] = [:]
            for (index, value) in values.enumerated() where !value.isEmpty {
                let field = Self.recBoleItemFieldNames[header.names[index]] ?? header.names[index]
                let isGenreTokens = field == "genres" && header.types[index] == "token_seq"
                record[field] = isGenreTokens ? value.split(separator: " ").joined(separator: ", ") : value
            }
            builder.addItemFields(rawID: rawID, fields: record)
        }
    }

    /// Reads a RecBole `.user` file: `user_id` required, other columns become attributes.
    mutating func readRecBoleUsers(at path: String) throws {
        try readRecBoleRecords(at: path, idColumn: "user_id") { rawID, header, values, builder in
            var attributes: [String: String] = [:]
            for (index, value) in values.enumerated() where !value.isEmpty { attributes[header.names[index]] = value }
            builder.addUserAttributes(rawID: rawID, attributes: attributes)
        }
    }

    /// Reads a RecBole side-information file; `store` gets the id and the columns' values (the id
    /// column's value blanked).
    private mutating func readRecBoleRecords(
        at path: String, idColumn: String,
        store: (String, RecBoleHeader, [String], inout InteractionDatasetBuilder) -> Void
    ) throws {
        var header: RecBoleHeader?
        var idIndex = 0
        var fields: [UnsafeBufferPointer<UInt8>] = []
        try forEachLine(of: path, expecting: Self.recBoleExpectation) { line, builder in
            guard let header else {
                let parsed = try RecBoleHeader(line.bytes)
                idIndex = try parsed.column(idColumn)
                header = parsed
                return
            }
            try header.split(line.bytes, into: &fields)
            var values = try fields.enumerated().map { index, field in
                try FieldValue.utf8(field, field: header.names[index])
            }
            let rawID = values[idIndex]
            values[idIndex] = ""
            store(rawID, header, values, &builder)
        }
    }
}
