/// MovieLens titles carry the release year: `Toy Story (1995)`.
enum MovieTitle {
    /// Item fields for a MovieLens movie: `title` without the trailing ` (1995)`, `year` when the
    /// title (or else `fallbackYear`) has one, and `genres` joined with ", " when there are any.
    static func fields(titleWithYear: String, genres: [String], fallbackYear: String? = nil) -> [String: String] {
        var title = titleWithYear.trimmingWhitespace()
        var year = fallbackYear
        let characters = Array(title)
        if characters.count >= 6, characters[characters.count - 1] == ")", characters[characters.count - 6] == "(",
           characters[(characters.count - 5)...(characters.count - 2)].allSatisfy(\.isASCIIDigit) {
            year = String(characters[(characters.count - 5)...(characters.count - 2)])
            title = String(characters[..<(characters.count - 6)]).trimmingWhitespace()
        }
        var fields = ["title": title]
        if let year, !year.isEmpty { fields["year"] = year }
        let names = genres.filter { !$0.isEmpty && $0 != "(no genres listed)" }
        if !names.isEmpty { fields["genres"] = names.joined(separator: ", ") }
        return fields
    }
}

extension Character {
    /// `0`...`9`.
    var isASCIIDigit: Bool { isASCII && isWholeNumber }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
