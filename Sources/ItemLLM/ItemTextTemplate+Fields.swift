import Datasets
import Foundation

/// Templates built from the fields a catalogue's items carry: the default one (`derived(from:)`)
/// and one the user lists (`resolve(_:for:)`, `llmrec --item-template`).
extension ItemTextTemplate {
    /// The item fields a derived template knows, in the order it writes them: the title first, the
    /// short attributes next, the long free text last (so truncation to the item LLM's token budget
    /// cuts the description first). Field names are the parsers' normalised `ItemRecord` names.
    public static let knownSlots = [
        Slot(field: "title", label: "Title"), Slot(field: "year", label: "Year"),
        Slot(field: "brand", label: "Brand"), Slot(field: "store", label: "Store"),
        Slot(field: "genres", label: "Genres"), Slot(field: "categories", label: "Categories"),
        Slot(field: "features", label: "Features"), Slot(field: "description", label: "Description"),
    ]

    /// The default template of a catalogue: every field of `knownSlots` that at least one of `items`
    /// has a non-blank value for, in `knownSlots` order. Other fields (price, sales rank, ...) are
    /// left out; list them with `resolve(_:for:)` to read them.
    ///
    /// When a built-in template has every derived field (in the same order) it is returned instead,
    /// under its own name: it writes the same text for every item (its other fields are blank
    /// everywhere), and the item-embedding key stays the built-in's. So MovieLens data (title, year,
    /// genres) gets `movieLens`, Amazon data with title, brand, categories and description (or some
    /// of them) `amazon`, and items without text fields `movieLens` (every text is the raw id).
    public static func derived(from items: [ItemRecord]) -> ItemTextTemplate {
        let present = fieldsPresent(in: items)
        let fields = knownSlots.map(\.field).filter(present.contains)
        if let builtIn = all.first(where: { template in
            let builtInFields = template.slots.map(\.field)
            return builtInFields.filter(fields.contains) == fields
        }) {
            return builtIn
        }
        return named(fields: fields)
    }

    /// The template `specification` asks for over `items`:
    /// - nil or blank: `derived(from: items)`;
    /// - a built-in name ("movielens", "amazon"), used as is;
    /// - a recorded name `fields-<field>-<field>...` (as `name` writes it), or a comma-separated
    ///   field list ("title,brand,categories"), written in the order given. Known fields take their
    ///   `knownSlots` label, others their name with underscores as spaces ("sales_type" -> "Sales type").
    ///   A field list equal to a built-in template's gets the built-in's name.
    ///
    /// - Throws: `ItemLLMError.invalidSetting` for a listed field that none of `items` has a value
    ///   for (the message lists the fields they have), a field listed twice, a field name with a
    ///   `-` (it could not be told apart in the template's name), or an empty list.
    public static func resolve(_ specification: String?, for items: [ItemRecord]) throws -> ItemTextTemplate {
        let specification = specification?.trimmingCharacters(in: .whitespaces) ?? ""
        if specification.isEmpty { return derived(from: items) }
        if let builtIn = named(specification) { return builtIn }
        let fields = specification.hasPrefix(fieldsNamePrefix)
            ? specification.dropFirst(fieldsNamePrefix.count).split(separator: "-").map(String.init)
            : specification.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !fields.isEmpty else {
            throw ItemLLMError.invalidSetting("item template '\(specification)' names no field; give a built-in template (\(builtInNames)) or a comma-separated field list")
        }
        let present = fieldsPresent(in: items)
        var seen = Set<String>()
        for field in fields {
            guard seen.insert(field).inserted else {
                throw ItemLLMError.invalidSetting("item template field '\(field)' is listed twice")
            }
            guard !field.contains("-") else {
                throw ItemLLMError.invalidSetting("item template field '\(field)' contains '-', which template names use between fields")
            }
            guard present.contains(field) else {
                let have = present.isEmpty ? "the items have no text fields" : "the items have: " + present.sorted().joined(separator: ", ")
                throw ItemLLMError.invalidSetting("item template field '\(field)' is not a field of any item; \(have) (or give a built-in template: \(builtInNames))")
            }
        }
        return named(fields: fields)
    }

    /// Fields at least one of `items` has a non-blank value for (blank as `text(for:)` judges it).
    static func fieldsPresent(in items: [ItemRecord]) -> Set<String> {
        var present = Set<String>()
        for item in items {
            for (field, value) in item.fields where !present.contains(field)
                && !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                present.insert(field)
            }
        }
        return present
    }

    /// What a recorded field-list name starts with.
    private static let fieldsNamePrefix = "fields-"

    /// The built-in template names, for messages.
    private static var builtInNames: String { all.map(\.name).joined(separator: ", ") }

    /// The template writing `fields` in order: a built-in when its field list is exactly `fields`,
    /// otherwise `fields-<field>-<field>...` with `knownSlots` labels (or the humanised field name).
    private static func named(fields: [String]) -> ItemTextTemplate {
        if let builtIn = all.first(where: { $0.slots.map(\.field) == fields }) { return builtIn }
        let slots = fields.map { field in
            knownSlots.first { $0.field == field }
                ?? Slot(field: field, label: field.prefix(1).uppercased() + field.dropFirst().replacingOccurrences(of: "_", with: " "))
        }
        return ItemTextTemplate(name: fieldsNamePrefix + fields.joined(separator: "-"), slots: slots)
    }
}
