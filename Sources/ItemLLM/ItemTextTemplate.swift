import Datasets
import Foundation

/// How an item's side information becomes the one text the item LLM reads.
///
/// HLLM (Chen et al. 2024, §3.1) feeds the item LLM a flattened list of labelled attributes; so
/// does this: `"Title: Toy Story. Year: 1995. Genres: Animation, Children's, Comedy."`. Fields the
/// item lacks are left out; an item with none of them is described by its raw id, so every item
/// has a text and the catalogue is encoded without gaps. A catalogue's template follows the fields
/// its items carry (`derived(from:)`) or the user's choice (`resolve(_:for:)`).
public struct ItemTextTemplate: Sendable, Equatable {
    /// One labelled attribute: the `ItemRecord` field it reads and the label written before it.
    public struct Slot: Sendable, Equatable {
        /// Key in `ItemRecord.fields` ("title", "brand", ...).
        public var field: String
        /// Written as `"<label>: <value>."`.
        public var label: String

        /// A slot reading `field` under `label`.
        public init(field: String, label: String) {
            self.field = field
            self.label = label
        }
    }

    /// Short name, part of the item-embedding artefact's key: a built-in's ("movielens", "amazon")
    /// or, for any other field list, `fields-` and the fields joined by `-` ("fields-title-brand").
    public let name: String
    /// Attributes in the order they are written.
    public let slots: [Slot]

    /// A template named `name` writing `slots` in order.
    public init(name: String, slots: [Slot]) {
        self.name = name
        self.slots = slots
    }

    /// MovieLens: title, release year and genres.
    public static let movieLens = ItemTextTemplate(name: "movielens", slots: [
        Slot(field: "title", label: "Title"), Slot(field: "year", label: "Year"), Slot(field: "genres", label: "Genres"),
    ])

    /// Amazon reviews: title, brand, categories and description (the description last, so
    /// truncation to the item LLM's token budget cuts it first).
    public static let amazon = ItemTextTemplate(name: "amazon", slots: [
        Slot(field: "title", label: "Title"), Slot(field: "brand", label: "Brand"),
        Slot(field: "categories", label: "Categories"), Slot(field: "description", label: "Description"),
    ])

    /// Every built-in template.
    public static let all = [movieLens, amazon]

    /// The built-in template called `name`, or nil.
    public static func named(_ name: String) -> ItemTextTemplate? {
        all.first { $0.name == name.lowercased() }
    }

    /// The text of `item`: `"Label: value."` for every slot the item has a non-blank value for,
    /// separated by spaces; the raw id when it has none.
    public func text(for item: ItemRecord) -> String {
        var parts: [String] = []
        for slot in slots {
            guard let value = item.fields[slot.field]?.trimmingCharacters(in: .whitespacesAndNewlines),
                  !value.isEmpty else { continue }
            parts.append("\(slot.label): \(value)" + (value.hasSuffix(".") ? "" : "."))
        }
        return parts.isEmpty ? item.rawID : parts.joined(separator: " ")
    }
}
