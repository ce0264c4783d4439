import Evaluation

/// One simulated team-draft interleaving experiment: per session a verdict (A wins, B wins, tie);
/// per user the shares of their sessions A and B won; the preference test is Student's paired t-test
/// of those shares, i.e. whether `Δ = mean(wins A − wins B)` per user is zero.
public struct InterleavingResult: Sendable {
    /// Users in the experiment.
    public let users: Int
    /// Sessions A won, B won, and ties (including sessions without clicks).
    public let winsA: Int, winsB: Int, ties: Int
    /// The paired test of per-user win shares (`difference.mean` is Δ, positive when A is preferred).
    public let test: PairedTTest

    /// Summarises per-user win shares of A and B (same users, same order) and session counts.
    public init(winShareA: [Double], winShareB: [Double], winsA: Int, winsB: Int, ties: Int, confidence: Double = 0.95) {
        users = winShareA.count
        self.winsA = winsA
        self.winsB = winsB
        self.ties = ties
        test = PairedTTest(winShareA, winShareB, confidence: confidence)
    }

    /// Share of decided sessions that A won (0.5 when none was decided).
    public var preferenceForA: Double {
        winsA + winsB == 0 ? 0.5 : Double(winsA) / Double(winsA + winsB)
    }
}
