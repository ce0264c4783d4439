extension ParseSession {
    private static let movieLens100KGenres = [
        "unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama",
        "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western",
    ]

    /// Reads MovieLens 100K `u.item` (latin-1): `id|title|release date|video release date|IMDb URL|19 genre flags`.
    mutating func readMovieLens100KItems(at path: String) throws {
        let expectation = "24 |-separated fields (movie id|title|release date|video release date|IMDb URL|19 genre flags)"
        var fields: [UnsafeBufferPointer<UInt8>] = []
        try forEachLine(of: path, expecting: expectation) { line, builder in
            var cursor = FieldCursor(line.bytes, separator: UInt8(ascii: "|"))
            cursor.collect(into: &fields)
            guard fields.count == 24 else { throw LineIssue.fieldCount(expected: expectation, found: fields.count) }
            var genres: [String] = []
            for (flag, name) in zip(fields[5...], Self.movieLens100KGenres) {
                guard flag.count == 1, flag[0] == UInt8(ascii: "0") || flag[0] == UInt8(ascii: "1") else {
                    throw LineIssue("expected a 0/1 genre flag for \(name), found \(FieldValue.quoted(flag))")
                }
                if flag[0] == UInt8(ascii: "1") { genres.append(name) }
            }
            let releaseDate = TextDecoding.latin1(fields[2])
            let record = MovieTitle.fields(titleWithYear: TextDecoding.latin1(fields[1]), genres: genres,
                                           fallbackYear: releaseDate.count >= 4 ? String(releaseDate.suffix(4)) : nil)
            builder.addItemFields(rawID: TextDecoding.latin1(fields[0]), fields: record)
        }
    }

    /// Reads MovieLens 1M/10M `movies.dat`: `MovieID::Title (year)::Genre|Genre`.
    mutating func readMovieLensDatMovies(at path: String) throws {
        let expectation = "3 ::-separated fields (MovieID::Title::Genres)"
        var fields: [UnsafeBufferPointer<UInt8>] = []
        try forEachLine(of: path, expecting: expectation) { line, builder in
            var cursor = FieldCursor(line.bytes, separator: UInt8(ascii: ":"), doubled: true)
            cursor.collect(into: &fields)
            guard fields.count == 3 else { throw LineIssue.fieldCount(expected: expectation, found: fields.count) }
            let genres = TextDecoding.latin1(fields[2]).split(separator: "|").map(String.init)
            let record = MovieTitle.fields(titleWithYear: TextDecoding.latin1(fields[1]), genres: genres)
            builder.addItemFields(rawID: TextDecoding.latin1(fields[0]), fields: record)
        }
    }

    /// Reads MovieLens 20M+ `movies.csv` (UTF-8, header, quoted titles): `movieId,title,genres`.
    mutating func readMovieLensCSVMovies(at path: String) throws {
        let expectation = "3 comma-separated fields (movieId,title,genres)"
        try forEachLine(of: path, expecting: expectation) { line, builder in
            if line.number == 1, line.bytes[0] &- UInt8(ascii: "0") >= 10 { return }
            let fields = try CSVRecord.fields(of: line.bytes, names: ["movieId", "title", "genres"])
            guard fields.count == 3 else { throw LineIssue.fieldCount(expected: expectation, found: fields.count) }
            let genres = fields[2].split(separator: "|").map(String.init)
            let record = MovieTitle.fields(titleWithYear: fields[1], genres: genres)
            builder.addItemFields(rawID: fields[0], fields: record)
        }
    }

    /// Reads a MovieLens user file: the user id, then the attributes named `columns`, in order.
    mutating func readMovieLensUsers(at path: String, separator: UInt8, doubled: Bool, columns: [String], expectation: String) throws {
        var fields: [UnsafeBufferPointer<UInt8>] = []
        try forEachLine(of: path, expecting: expectation) { line, builder in
            var cursor = FieldCursor(line.bytes, separator: separator, doubled: doubled)
            cursor.collect(into: &fields)
            guard fields.count == columns.count + 1 else {
                throw LineIssue.fieldCount(expected: expectation, found: fields.count)
            }
            let attributes = Dictionary(uniqueKeysWithValues: zip(columns, fields.dropFirst().map(TextDecoding.latin1)))
            builder.addUserAttributes(rawID: TextDecoding.latin1(fields[0]), attributes: attributes)
        }
    }
}
