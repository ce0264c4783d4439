/// Turns one user's top-K list into output bytes. Item ids are encoded once, up front (JSON string
/// or CSV field), so a row is mostly byte copies; scores use Swift's shortest round-trip `description`,
/// which is the same on every machine (non-finite scores become `null` in JSON).
struct RowEncoder: Sendable {
    let format: ExportFormat
    /// Encoded item ids, concatenated; item `i` is `itemBytes[itemStarts[i]..<itemStarts[i + 1]]`.
    private let itemBytes: [UInt8]
    /// `[numItems + 1]` offsets into `itemBytes`.
    private let itemStarts: [Int]

    /// An encoder for `format` over the raw item ids `itemIDs` (`[numItems]`).
    init(format: ExportFormat, itemIDs: [String]) {
        self.format = format
        var bytes: [UInt8] = []
        var starts = [0]
        starts.reserveCapacity(itemIDs.count + 1)
        for id in itemIDs {
            Self.appendField(id, format: format, to: &bytes)
            starts.append(bytes.count)
        }
        itemBytes = bytes
        itemStarts = starts
    }

    /// The first bytes of every part file (`csv`: the header line).
    var partHeader: [UInt8] { format == .csv ? Array("user,rank,item,score\n".utf8) : [] }

    /// Appends the row(s) of user `rawUserID` with `entries` (best first) to `out`; `jsonl` and `lmdb`
    /// write one line ending in `\n`, `csv` one line per entry.
    func appendRow(user rawUserID: String, entries: [(index: Int32, score: Float)], to out: inout [UInt8]) {
        var user: [UInt8] = []
        Self.appendField(rawUserID, format: format, to: &user)
        if format == .csv {
            for (rank, entry) in entries.enumerated() {
                out.append(contentsOf: user)
                out.append(UInt8(ascii: ","))
                out.append(contentsOf: String(rank + 1).utf8)
                out.append(UInt8(ascii: ","))
                appendItem(entry.index, to: &out)
                out.append(UInt8(ascii: ","))
                out.append(contentsOf: entry.score.description.utf8)
                out.append(UInt8(ascii: "\n"))
            }
            return
        }
        out.append(contentsOf: #"{"user":"#.utf8)
        out.append(contentsOf: user)
        out.append(contentsOf: #","items":["#.utf8)
        for (position, entry) in entries.enumerated() {
            if position > 0 { out.append(UInt8(ascii: ",")) }
            appendItem(entry.index, to: &out)
        }
        out.append(contentsOf: #"],"scores":["#.utf8)
        for (position, entry) in entries.enumerated() {
            if position > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: (entry.score.isFinite ? entry.score.description : "null").utf8)
        }
        out.append(contentsOf: "]}\n".utf8)
    }

    private func appendItem(_ item: Int32, to out: inout [UInt8]) {
        out.append(contentsOf: itemBytes[itemStarts[Int(item)]..<itemStarts[Int(item) + 1]])
    }

    /// `text` as a JSON string literal or a CSV field (quoted when it holds `,`, `"` or a line break).
    private static func appendField(_ text: String, format: ExportFormat, to out: inout [UInt8]) {
        if format == .csv {
            guard text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 < 0x20 }) else {
                out.append(contentsOf: text.utf8)
                return
            }
            out.append(UInt8(ascii: "\""))
            for byte in text.utf8 {
                if byte == UInt8(ascii: "\"") { out.append(byte) }
                out.append(byte)
            }
            out.append(UInt8(ascii: "\""))
            return
        }
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\"))
                out.append(byte)
            case 0..<0x20:
                out.append(contentsOf: "\\u00".utf8)
                out.append(contentsOf: String(byte, radix: 16).leftPadded(to: 2).utf8)
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

extension String {
    /// The string with leading zeros up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
