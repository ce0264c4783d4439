/// Keeps only interactions rated at least `minimumRating` (explicit ratings read as positive feedback).
public struct RatingThreshold: Sendable, Equatable {
    /// The smallest rating kept.
    public var minimumRating: Float

    /// A filter keeping ratings `>= minimumRating`.
    public init(minimumRating: Float) {
        self.minimumRating = minimumRating
    }

    /// The filtered data set, re-indexed densely (order preserved).
    public func apply(to dataset: InteractionDataset) -> InteractionDataset {
        dataset.keepingInteractions { $0.rating >= minimumRating }
    }
}
