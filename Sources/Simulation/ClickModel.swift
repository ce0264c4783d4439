import Foundation
import SeededRandom

/// How a simulated user examines and clicks a slate (Chuklin, Markov & de Rijke, "Click Models for
/// Web Search", 2015).
///
/// A session first decides whether the user engages at all: with probability `noClickProbability`
/// they leave without examining anything. Otherwise:
/// - `.positionBased(decay:)` (the position-based model, PBM): position `r` (1-based) is examined
///   with probability `1 / r^decay`, independently of the others, and an examined item is clicked
///   with its attraction probability; several clicks per session are possible.
/// - `.cascade` (Craswell, Zoeter, Taylor & Ramsey, "An experimental comparison of click
///   position-bias models", WSDM 2008): the user scans top-down, clicks the first item that
///   attracts them and stops; at most one click per session.
public struct ClickModel: Codable, Equatable, Sendable {
    /// The examination behaviour.
    public enum Kind: String, Codable, CaseIterable, Sendable {
        /// Position-based model: independent examination decaying with rank.
        case positionBased = "pbm"
        /// Cascade model: top-down scan, stop at the first click.
        case cascade
    }

    /// The examination behaviour.
    public var kind: Kind
    /// PBM's examination decay η: position `r` is examined with probability `r^-η` (ignored by cascade).
    public var positionDecay: Double
    /// Probability that a session ends with no examination and no click at all.
    public var noClickProbability: Double

    /// A click model; defaults: PBM, `1/r` examination, 10% sessions abandoned.
    public init(kind: Kind = .positionBased, positionDecay: Double = 1, noClickProbability: Double = 0.1) {
        precondition(positionDecay >= 0, "the position decay must be non-negative")
        precondition(noClickProbability >= 0 && noClickProbability <= 1, "noClickProbability must be in [0, 1]")
        self.kind = kind
        self.positionDecay = positionDecay
        self.noClickProbability = noClickProbability
    }

    /// Probability that position `rank` (0-based) is examined by a PBM user who engages.
    public func examinationProbability(rank: Int) -> Double {
        pow(Double(rank + 1), -positionDecay)
    }

    /// The exact click probability of each position of a slate whose items attract with
    /// `attractions` (the expectation of `simulate`).
    public func clickProbabilities(attractions: [Double]) -> [Double] {
        let engaged = 1 - noClickProbability
        switch kind {
        case .positionBased:
            return attractions.indices.map { engaged * examinationProbability(rank: $0) * attractions[$0] }
        case .cascade:
            var notYetClicked = engaged
            return attractions.map { attraction in
                defer { notYetClicked *= 1 - attraction }
                return notYetClicked * attraction
            }
        }
    }

    /// Simulates one session on a slate whose items attract with `attractions`, best rank first.
    public func simulate(attractions: [Double], random: inout SplitMix64) -> SessionOutcome {
        var clicked = [Bool](repeating: false, count: attractions.count)
        guard random.nextUnit() >= noClickProbability else {
            return SessionOutcome(clicked: clicked, examined: 0)
        }
        var examined = 0
        switch kind {
        case .positionBased:
            for rank in attractions.indices where random.nextUnit() < examinationProbability(rank: rank) {
                examined += 1
                clicked[rank] = random.nextUnit() < attractions[rank]
            }
        case .cascade:
            for rank in attractions.indices {
                examined += 1
                if random.nextUnit() < attractions[rank] {
                    clicked[rank] = true
                    break
                }
            }
        }
        return SessionOutcome(clicked: clicked, examined: examined)
    }
}
