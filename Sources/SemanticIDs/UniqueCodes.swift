/// How items that a quantiser gave the same code tuple are told apart.
public enum UniqueCodeStrategy: String, Codable, CaseIterable, Sendable {
    /// Append a disambiguation level: 0, 1, 2, ... within each group of colliding items, the item
    /// closest to its last centroid first (TIGER, Rajput et al. 2023; GRID). Always succeeds; the
    /// extra level's codebook is as large as the largest group.
    case extraLevel = "extra-level"
    /// Keep L levels and give the items under each (L−1)-level prefix distinct last-level codes by
    /// a min-cost assignment to that level's centroids (a capacity-constrained last level, in the
    /// spirit of LC-Rec's Sinkhorn step, Zheng et al. 2024). Fails when more items share a prefix
    /// than the last codebook has codes.
    case balanced
}

/// Making a code set unique, and giving new (cold) items codes no other item has.
public enum UniqueCodes {
    /// The codes made unique with `strategy`.
    ///
    /// - Parameters:
    ///   - codes: the quantiser's codes, `[n, L]`.
    ///   - encoding: what the quantiser saw at its last level (`lastLevelInputs` `[n, dim]`,
    ///     `lastLevelDistances` `[n]`).
    ///   - lastCodebook: the last level's centroids `[K, dim]` (for `balanced`).
    /// - Throws: `SemanticIDError.invalidInput` when `balanced` meets a prefix shared by more
    ///   items than the last level has codes.
    public static func make(_ codes: SemanticIDCodes, strategy: UniqueCodeStrategy, encoding: ResidualCodebooks.Encoding,
                            lastCodebook: [Float], dim: Int) throws -> SemanticIDCodes {
        switch strategy {
        case .extraLevel:
            return appendingDisambiguationLevel(to: codes, closeness: encoding.lastLevelDistances)
        case .balanced:
            return try balancingLastLevel(codes, lastLevelInputs: encoding.lastLevelInputs, lastCodebook: lastCodebook, dim: dim)
        }
    }

    /// Appends a level numbering the members of each group of equal tuples 0, 1, 2, ... in order
    /// of `closeness` `[n]` (smaller first; ties by item index). The new level's codebook size is
    /// the largest group.
    public static func appendingDisambiguationLevel(to codes: SemanticIDCodes, closeness: [Float]) -> SemanticIDCodes {
        precondition(closeness.count == codes.count, "closeness must have one value per item")
        let groups = codes.groupsSharingCode()
        var extra = [Int32](repeating: 0, count: codes.count)
        for group in groups where group.count > 1 {
            let ordered = group.sorted { closeness[$0] != closeness[$1] ? closeness[$0] < closeness[$1] : $0 < $1 }
            for (rank, item) in ordered.enumerated() { extra[item] = Int32(rank) }
        }
        var result = [Int32]()
        result.reserveCapacity(codes.count * (codes.levels + 1))
        for item in 0..<codes.count {
            result += codes[item]
            result.append(extra[item])
        }
        let largest = groups.map(\.count).max() ?? 1
        return try! SemanticIDCodes(codes: result, codebookSizes: codes.codebookSizes + [largest])
    }

    /// Reassigns the last level so that items sharing their first L−1 codes get distinct last
    /// codes, minimising the summed squared distance of each item's last-level input to its code's
    /// centroid (`MinCostAssignment`); items alone in their prefix keep their nearest code.
    public static func balancingLastLevel(_ codes: SemanticIDCodes, lastLevelInputs: [Float], lastCodebook: [Float],
                                          dim: Int) throws -> SemanticIDCodes {
        let levels = codes.levels, size = codes.codebookSizes[levels - 1]
        precondition(lastLevelInputs.count == codes.count * dim && lastCodebook.count == size * dim,
                     "last-level inputs must be [n, dim] and the codebook [K, dim]")
        var result = codes.codes
        let prefixGroups = levels > 1 ? codes.prefix(levels - 1).groupsSharingCode() : [Array(0..<codes.count)]
        for group in prefixGroups where group.count > 1 {
            guard group.count <= size else {
                let prefix = codes.tuple(of: group[0]).prefix(levels - 1).map(String.init).joined(separator: ", ")
                throw SemanticIDError.invalidInput("\(group.count) items share the code prefix (\(prefix)), more than the \(size) codes of the last level: a balanced last level cannot make them unique; use the extra-level strategy")
            }
            let lastCodes = group.map { codes.codes[$0 * levels + levels - 1] }
            guard Set(lastCodes).count < group.count else { continue }  // already distinct: each has its nearest code
            var costs = [Double](repeating: 0, count: group.count * size)
            for (row, item) in group.enumerated() {
                for code in 0..<size {
                    var distance: Float = 0
                    for j in 0..<dim {
                        let difference = lastLevelInputs[item * dim + j] - lastCodebook[code * dim + j]
                        distance += difference * difference
                    }
                    costs[row * size + code] = Double(distance)
                }
            }
            let assigned = MinCostAssignment.solve(costs: costs, rows: group.count, columns: size)
            for (row, item) in group.enumerated() { result[item * levels + levels - 1] = Int32(assigned[row]) }
        }
        return try SemanticIDCodes(codes: result, codebookSizes: codes.codebookSizes)
    }

    /// A code for a new item whose quantised tuple is `quantized` (`[L]`, the codebooks' levels),
    /// unique against `existing` (a unique set made with `strategy`).
    ///
    /// - extra level: the smallest disambiguation index not used by items with the same tuple
    ///   (the extra level's codebook grows when needed);
    /// - balanced: the free last-level code under the item's prefix nearest to its last-level
    ///   input `lastLevelInput` `[dim]` in `lastCodebook` `[K, dim]`.
    /// - Returns: the set with the new item appended as its last row.
    /// - Throws: `SemanticIDError.invalidInput` when every last-level code of the prefix is taken.
    public static func appending(quantized: [Int32], to existing: SemanticIDCodes, strategy: UniqueCodeStrategy,
                                 lastLevelInput: [Float], lastCodebook: [Float]) throws -> SemanticIDCodes {
        let levels = existing.levels
        switch strategy {
        case .extraLevel:
            precondition(quantized.count == levels - 1, "an extra-level set has one level more than the quantiser")
            var taken = Set<Int32>()
            for item in 0..<existing.count where existing[item].prefix(levels - 1).elementsEqual(quantized) {
                taken.insert(existing.codes[item * levels + levels - 1])
            }
            let free = Int32((0...).first { !taken.contains(Int32($0)) }!)
            var sizes = existing.codebookSizes
            sizes[levels - 1] = max(sizes[levels - 1], Int(free) + 1)
            return try SemanticIDCodes(codes: existing.codes + quantized + [free], codebookSizes: sizes)
        case .balanced:
            precondition(quantized.count == levels, "a balanced set has the quantiser's levels")
            var taken = Set<Int32>()
            for item in 0..<existing.count where existing[item].prefix(levels - 1).elementsEqual(quantized.prefix(levels - 1)) {
                taken.insert(existing.codes[item * levels + levels - 1])
            }
            let size = existing.codebookSizes[levels - 1], dim = lastLevelInput.count
            let nearestFree = (0..<size).filter { !taken.contains(Int32($0)) }.min { a, b in
                squaredDistance(lastLevelInput, lastCodebook, row: a, dim: dim) < squaredDistance(lastLevelInput, lastCodebook, row: b, dim: dim)
            }
            guard let nearestFree else {
                throw SemanticIDError.invalidInput("all \(size) last-level codes under the new item's prefix are taken")
            }
            var tuple = quantized
            tuple[levels - 1] = Int32(nearestFree)
            var result = existing
            try result.append(tuple)
            return result
        }
    }

    private static func squaredDistance(_ vector: [Float], _ matrix: [Float], row: Int, dim: Int) -> Float {
        var sum: Float = 0
        for j in 0..<dim {
            let difference = vector[j] - matrix[row * dim + j]
            sum += difference * difference
        }
        return sum
    }
}

public extension SemanticIDCodes {
    /// These codes with every item that shares its whole tuple with an earlier item moved to the
    /// smallest last-level code no item with its other codes uses, and how many moved: what makes
    /// an imported index usable by a trie (the published Office index has 2,415 distinct tuples
    /// for 2,420 items).
    /// - Throws: `SemanticIDError.invalidInput` when a prefix has no free last-level code.
    func separatingSharedTuplesInLastLevel() throws -> (codes: SemanticIDCodes, recoded: Int) {
        var values = codes
        var used: [ArraySlice<Int32>: Set<Int32>] = [:]
        for item in 0..<count { used[self[item].dropLast(), default: []].insert(self[item].last!) }
        var recoded = 0
        for group in groupsSharingCode() where group.count > 1 {
            let prefix = self[group[0]].dropLast()
            for item in group.dropFirst() {
                guard let free = (0..<Int32(codebookSizes[levels - 1])).first(where: { !used[prefix]!.contains($0) }) else {
                    throw SemanticIDError.invalidInput("no free last-level code for item \(item) of prefix \(Array(prefix))")
                }
                used[prefix]!.insert(free)
                values[item * levels + levels - 1] = free
                recoded += 1
            }
        }
        return (try SemanticIDCodes(codes: values, codebookSizes: codebookSizes), recoded)
    }
}
