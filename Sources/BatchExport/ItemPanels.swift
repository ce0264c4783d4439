import LinearAlgebra

/// Item vectors packed for `DotProductTopK`: panels of `width` consecutive items, each panel
/// dimension-major (`[dim][width]`), so one aligned load gives dimension `d` of sixteen items.
/// Items past the last are zero and never ranked.
public struct ItemPanels: Sendable {
    /// Items per panel (two AVX registers, four SSE or NEON ones).
    public static let width = 16
    /// Items packed, and their dimension.
    public let numItems: Int
    public let dim: Int
    /// `ceil(numItems / width)`.
    public let panelCount: Int
    /// `[panelCount, dim, width]`.
    let values: [Float]

    /// Packs `items` (`[numItems, dim]`, row-major).
    public init(_ items: Matrix) {
        numItems = items.rows
        dim = items.cols
        panelCount = (items.rows + Self.width - 1) / Self.width
        var packed = [Float](repeating: 0, count: panelCount * dim * Self.width)
        for item in 0..<items.rows {
            let (panel, lane) = item.quotientAndRemainder(dividingBy: Self.width)
            for d in 0..<dim { packed[(panel * dim + d) * Self.width + lane] = items.values[item * dim + d] }
        }
        values = packed
    }
}
