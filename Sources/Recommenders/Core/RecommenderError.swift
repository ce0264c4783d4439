/// Errors raised while fitting the collaborative-filtering models.
public enum RecommenderError: Error, Equatable, CustomStringConvertible {
    /// The model keeps a dense `[items, items]` matrix and the catalogue exceeds `limit` items.
    case catalogueTooLarge(model: String, items: Int, limit: Int)

    public var description: String {
        switch self {
        case let .catalogueTooLarge(model, items, limit):
            let gibibytes = (Double(items) * Double(items) * 4 / Double(1 << 30) * 10).rounded() / 10
            return "\(model): \(items) items need a dense \(items) x \(items) Float matrix (\(gibibytes) GiB); "
                + "the limit is \(limit) items"
        }
    }
}
