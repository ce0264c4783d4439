/// RFC 4180 fields of one CSV line: fields may be quoted, `""` inside quotes is one quote.
enum CSVRecord {
    /// The line's fields as UTF-8 text; throws a `LineIssue` for bad quoting or invalid UTF-8
    /// (naming the field by `names`, the header's column names).
    static func fields(of bytes: UnsafeBufferPointer<UInt8>, names: [String]) throws -> [String] {
        var fields: [String] = []
        var index = 0
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ",")
        while true {
            var field: [UInt8] = []
            if index < bytes.count, bytes[index] == quote {
                let opening = index
                index += 1
                while true {
                    guard index < bytes.count else {
                        throw LineIssue("expected a closing quote for the field opened at column \(opening + 1), found end of line")
                    }
                    if bytes[index] == quote {
                        if index + 1 < bytes.count, bytes[index + 1] == quote {
                            field.append(quote)
                            index += 2
                            continue
                        }
                        index += 1
                        break
                    }
                    field.append(bytes[index])
                    index += 1
                }
                guard index == bytes.count || bytes[index] == comma else {
                    throw LineIssue("expected ',' after the quoted field at column \(index + 1), found \(FieldValue.quoted(UnsafeBufferPointer(rebasing: bytes[index...])))")
                }
            } else {
                while index < bytes.count, bytes[index] != comma {
                    field.append(bytes[index])
                    index += 1
                }
            }
            fields.append(try field.withUnsafeBufferPointer { try FieldValue.utf8($0, field: fields.count < names.count ? names[fields.count] : "field \(fields.count + 1)") })
            guard index < bytes.count else { return fields }
            index += 1
        }
    }
}
