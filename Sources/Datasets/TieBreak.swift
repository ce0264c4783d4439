import SeededRandom

/// How a user's interactions that share a timestamp are ordered when their sequence is built (the
/// DESIGN.md protocol): the rule decides, for example, which of two items rated in the same second
/// is the leave-one-out test target.
///
/// Both rules read raw ids only, so one data set gives the same sequences whatever file format it
/// came from and whatever order its lines are in. Written as `seeded-hash` (seed 42),
/// `seeded-hash:<seed>` or `item-id` (`description`, `init?(_:)`, the `--tie-break` option).
public enum TieBreak: Hashable, Sendable {
    /// The protocol's rule: ties ascending by `hash(userID:itemID:seed:)` of the raw user and item
    /// ids, a seeded pseudo-random order uncorrelated with the catalogue's id order. Equal hashes
    /// (the same item repeated at one time) fall back to raw item id order, then input order.
    case seededHash(seed: UInt64)
    /// The rule before issue 14: ties by raw item id (`InteractionDataset.itemTieRanks`), then input
    /// order. Biased: ids usually follow the catalogue's release order, so the newest of tied items
    /// (often the least popular) becomes the test target.
    case itemID

    /// The seed of the protocol's rule.
    public static let defaultSeed: UInt64 = 42

    /// The protocol's rule, `.seededHash(seed: 42)`.
    public static let `default` = TieBreak.seededHash(seed: defaultSeed)

    /// The seeded hash that orders a user's tied interactions: 64-bit FNV-1a over the UTF-8 bytes of
    /// `userID`, one 0x00 byte and the UTF-8 bytes of `itemID`, finalised as
    /// `SplitMix64.mix(fnv ^ SplitMix64.mix(seed))`.
    public static func hash(userID: String, itemID: String, seed: UInt64) -> UInt64 {
        finalise(fnv1a(userPrefix(userID), itemID.utf8), seed: seed)
    }

    /// The primary tie key of every interaction of `dataset`, aligned with `dataset.interactions`:
    /// the seeded hash, or the item's rank in `itemTieRanks` (`ranks`) for `.itemID`.
    func keys(for dataset: InteractionDataset, ranks: [Int32]) -> [UInt64] {
        switch self {
        case .itemID:
            return dataset.interactions.map { UInt64(ranks[Int($0.item)]) }
        case .seededHash(let seed):
            let users = dataset.userIDs.map(userPrefix)
            let items = dataset.itemIDs.map { Array($0.utf8) }
            return dataset.interactions.map {
                Self.finalise(fnv1a(users[Int($0.user)], items[Int($0.item)]), seed: seed)
            }
        }
    }

    /// The seeded finaliser of `hash(userID:itemID:seed:)` applied to an FNV-1a state.
    private static func finalise(_ fnv: UInt64, seed: UInt64) -> UInt64 {
        SplitMix64.mix(fnv ^ SplitMix64.mix(seed))
    }
}

extension TieBreak: LosslessStringConvertible {
    /// `item-id`, `seeded-hash` (seed 42) or `seeded-hash:<seed>`.
    public var description: String {
        switch self {
        case .itemID: return "item-id"
        case .seededHash(let seed): return seed == Self.defaultSeed ? "seeded-hash" : "seeded-hash:\(seed)"
        }
    }

    /// The rule `description` writes as `text`; nil for anything else.
    public init?(_ text: String) {
        if text == "item-id" {
            self = .itemID
        } else if text == "seeded-hash" {
            self = .default
        } else if text.hasPrefix("seeded-hash:"), let seed = UInt64(text.dropFirst("seeded-hash:".count)) {
            self = .seededHash(seed: seed)
        } else {
            return nil
        }
    }
}

/// FNV-1a's 64-bit offset basis.
private let fnvOffsetBasis: UInt64 = 0xCBF2_9CE4_8422_2325

/// The FNV-1a state after the UTF-8 bytes of `userID` and the 0x00 separator.
private func userPrefix(_ userID: String) -> UInt64 {
    fnv1a(fnv1a(fnvOffsetBasis, userID.utf8), CollectionOfOne(0))
}

/// 64-bit FNV-1a (Fowler, Noll, Vo) of `bytes`, continued from `state`.
private func fnv1a<Bytes: Sequence>(_ state: UInt64, _ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
    bytes.reduce(state) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01B3 }
}
