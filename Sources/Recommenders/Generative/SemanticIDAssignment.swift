import SemanticIDs

/// The semantic IDs a generative ranker decodes: one unique code tuple per catalogue item, and
/// where they came from (a store artefact, or an imported LC-Rec index file), for reports.
public struct SemanticIDAssignment: Sendable {
    /// `[numItems, levels]` unique codes.
    public var codes: SemanticIDCodes
    /// Their origin, e.g. `office/semantic-ids/v1/.../rkmeans-l3-k256-extra-level-s42 v1`.
    public var source: String

    /// `codes` from `source`.
    public init(codes: SemanticIDCodes, source: String) {
        self.codes = codes
        self.source = source
    }

    /// The codes of an LC-Rec index file (`X.index.json`) for the items `itemIDs` (raw ids, in
    /// catalogue order), items sharing a tuple moved apart in the last level.
    /// - Throws: `SemanticIDError.malformedIndexFile` / `.invalidInput` for a bad file or one that
    ///   misses an item.
    public static func importing(indexFile path: String, itemIDs: [String]) throws -> SemanticIDAssignment {
        let imported = try LCRecIndexFile.read(path: path).codes(forItemIDs: itemIDs)
        let (codes, recoded) = try imported.separatingSharedTuplesInLastLevel()
        return SemanticIDAssignment(codes: codes, source: "\(path)" + (recoded > 0 ? " (\(recoded) shared tuples separated)" : ""))
    }
}

public extension SemanticIDCatalogue {
    /// The catalogue's codes, named by their artefact.
    var assignment: SemanticIDAssignment {
        SemanticIDAssignment(codes: tokenizer.codes, source: "\(artifact.name) v\(artifact.version)")
    }
}
