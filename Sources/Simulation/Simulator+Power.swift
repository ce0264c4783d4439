extension Simulator {
    /// Share of seeded runs whose test rejected, for the A/B test (click-through rate, Welch) and
    /// for interleaving (paired t-test of win shares).
    public struct RejectionRates: Codable, Equatable, Sendable {
        /// Users per run.
        public var users: Int
        /// Runs simulated.
        public var runs: Int
        /// Share of A/B runs that rejected.
        public var abTest: Double
        /// Share of interleaving runs that rejected.
        public var interleaving: Double
    }

    /// Runs `replications` A/B tests and interleaving experiments on `usersPerRun` users drawn
    /// afresh each run, and counts the runs significant at `alpha` — with the sign of `direction`
    /// when given (empirical power), either sign when nil (the false-positive rate of an A/A test).
    /// An A/B run whose hash split leaves an arm with fewer than 2 users counts as not significant.
    public func rejectionRates(usersPerRun: Int, replications: Int, alpha: Double,
                               direction: Double? = nil) -> RejectionRates {
        precondition(replications > 0, "at least one replication")
        func rejects(_ pValue: Double, _ effect: Double) -> Bool {
            pValue < alpha && (direction.map { ($0 > 0) == (effect > 0) && effect != 0 } ?? true)
        }
        var (ab, interleaved) = (0, 0)
        for replication in 0..<replications {
            let run = UInt64(usersPerRun) << 32 | UInt64(replication)
            let users = sampleUsers(count: usersPerRun, run: run)
            let usersA = users.lazy.filter { arm(of: $0, run: run) == .a }.count
            if min(usersA, users.count - usersA) >= 2 {
                let test = abTest(users: users, run: run).primary
                if rejects(test.pValue, test.difference) { ab += 1 }
            }
            let preference = interleaving(users: users, run: run).test
            if rejects(preference.pValue, preference.difference.mean) { interleaved += 1 }
        }
        let n = Double(replications)
        return RejectionRates(users: min(usersPerRun, truth.numUsers), runs: replications,
                              abTest: Double(ab) / n, interleaving: Double(interleaved) / n)
    }
}
