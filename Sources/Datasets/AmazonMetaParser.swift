/// How an Amazon meta file maps onto `ItemRecord` fields.
struct AmazonMetaLayout {
    /// One copied field: the source key, the record field, and how list items are joined.
    struct Mapping {
        let key: String
        let field: String
        let separator: String
    }

    let dialect: StructuredValue.Dialect
    let idKey: String
    let mappings: [Mapping]

    /// Amazon 2014: Python-literal dicts (asin, title, brand, categories [[...]], description).
    static let amazon2014 = AmazonMetaLayout(dialect: .python, idKey: "asin", mappings: [
        Mapping(key: "title", field: "title", separator: " "),
        Mapping(key: "brand", field: "brand", separator: " "),
        Mapping(key: "categories", field: "categories", separator: ", "),
        Mapping(key: "description", field: "description", separator: " "),
    ])
    /// Amazon 2018: JSON (asin, title, brand, category [...], description [...]).
    static let amazon2018 = AmazonMetaLayout(dialect: .json, idKey: "asin", mappings: [
        Mapping(key: "title", field: "title", separator: " "),
        Mapping(key: "brand", field: "brand", separator: " "),
        Mapping(key: "category", field: "categories", separator: ", "),
        Mapping(key: "description", field: "description", separator: " "),
    ])
    /// Amazon 2023: JSON (parent_asin, title, features [...], description [...], categories [...], store).
    static let amazon2023 = AmazonMetaLayout(dialect: .json, idKey: "parent_asin", mappings: [
        Mapping(key: "title", field: "title", separator: " "),
        Mapping(key: "features", field: "features", separator: " "),
        Mapping(key: "description", field: "description", separator: " "),
        Mapping(key: "categories", field: "categories", separator: ", "),
        Mapping(key: "store", field: "store", separator: " "),
    ])

    /// A good line, for error messages.
    var expectation: String {
        "a \(dialect == .json ? "JSON object" : "Python dict literal") with \(idKey)"
    }
}

extension ParseSession {
    /// Reads an Amazon meta file, one object per line, describing only items that occur in reviews.
    /// List values are flattened (nested lists too), repeated entries dropped, and joined.
    mutating func readAmazonMeta(at path: String, layout: AmazonMetaLayout) throws {
        let idKey = Array(layout.idKey.utf8)
        let keys = layout.mappings.map { Array($0.key.utf8) }
        try forEachLine(of: path, expecting: layout.expectation) { line, builder in
            var parser = LiteralParser(line.bytes, dialect: layout.dialect)
            var idField: LiteralParser.Field?
            var found = [LiteralParser.Field?](repeating: nil, count: keys.count)
            do {
                try parser.forEachField { field in
                    if field.key.elementsEqual(idKey) { idField = field }
                    else if let slot = keys.firstIndex(where: { field.key.elementsEqual($0) }) { found[slot] = field }
                }
            } catch let error as StructuredValueSyntaxError {
                throw LineIssue.syntax(error, expected: layout.expectation)
            }
            guard let idField, idField.isString,
                  let rawID = parser.decodeString(idField.value, hasEscapes: idField.hasEscapes, quote: idField.quote) else {
                throw LineIssue("expected \(layout.expectation) as a string, found none")
            }
            guard builder.containsItem(rawID: rawID) else { return }
            var record: [String: String] = [:]
            for (mapping, field) in zip(layout.mappings, found) {
                guard let field else { continue }
                let text = try Self.text(of: field, parser: parser, dialect: layout.dialect, key: mapping.key, separator: mapping.separator)
                if !text.isEmpty { record[mapping.field] = text }
            }
            builder.addItemFields(rawID: rawID, fields: record)
        }
    }

    /// A field's value as text: a string as is, a list's strings deduplicated and joined by `separator`.
    private static func text(of field: LiteralParser.Field, parser: LiteralParser, dialect: StructuredValue.Dialect,
                             key: String, separator: String) throws -> String {
        if field.isString {
            guard let text = parser.decodeString(field.value, hasEscapes: field.hasEscapes, quote: field.quote) else {
                throw LineIssue("expected UTF-8 text and valid escapes in \(key), found invalid bytes")
            }
            return text.trimmingWhitespace()
        }
        var valueParser = LiteralParser(field.value, dialect: dialect)
        let value: StructuredValue
        do {
            value = try valueParser.parseValue()
        } catch let error as StructuredValueSyntaxError {
            throw LineIssue("expected a valid value for \(key): \(error)")
        }
        var seen = Set<String>()
        return value.flattenedStrings.map { $0.trimmingWhitespace() }
            .filter { !$0.isEmpty && seen.insert($0).inserted }
            .joined(separator: separator)
    }
}
