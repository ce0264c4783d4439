import ArgumentParser
import Datasets

/// `--tie-break`: how a user's interactions that share a timestamp are ordered, for every command
/// that builds sequences (splits, training data, served histories).
struct TieBreakOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Order of a user's interactions that share a timestamp: seeded-hash (the protocol's rule: a hash of the raw user and item ids, seed 42; seeded-hash:<seed> for another seed) or item-id (raw item id order, the biased rule before issue 14).",
        valueName: "rule"))
    var tieBreak: TieBreak = .default
}

extension TieBreak: ExpressibleByArgument {
    /// The rules `--tie-break` lists in its help.
    public static var allValueStrings: [String] { [TieBreak.default.description, TieBreak.itemID.description] }
}
