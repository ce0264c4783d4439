import Evaluation
import Foundation

extension SimulationReport {
    /// The summary as markdown: the rankers, the A/B test per metric, interleaving, power, the A/A
    /// calibration and the feedback loop, each as a table.
    public func markdown() -> String {
        let d = { (value: Double) in MarkdownTable.decimal(value, digits: 4) }
        let interval = { (i: ConfidenceInterval) in "[\(d(i.lower)), \(d(i.upper))]" }
        var rankers = MarkdownTable(header: ["arm", "model", "config", "offline NDCG@10", "expected CTR"],
                                    rightAligned: [3, 4])
        for (arm, ranker) in [("A", a), ("B", b)] {
            rankers.rows.append([arm, ranker.model, MarkdownTable.config(ranker.config), d(ranker.offlineNDCG10),
                                 d(ranker.expectedClickThroughRate)])
        }
        var ab = MarkdownTable(header: ["metric", "A", "B", "A − B", "95% CI (Welch)", "p", "95% CI (bootstrap)", "p (bootstrap)"],
                               rightAligned: [1, 2, 3, 5, 7])
        for m in abTest.metrics {
            ab.rows.append([m.metric, d(m.meanA), d(m.meanB), d(m.difference), interval(m.interval),
                            MarkdownTable.pValue(m.pValue), interval(m.bootstrapInterval), MarkdownTable.pValue(m.bootstrapPValue)])
        }
        var curve = MarkdownTable(header: ["users", "A/B analytic", "A/B simulated", "interleaving analytic", "interleaving simulated"],
                                  rightAligned: [0, 1, 2, 3, 4])
        for p in power.curve {
            curve.rows.append([String(p.users), d(p.abAnalytic), d(p.abSimulated), d(p.interleavingAnalytic),
                               d(p.interleavingSimulated)])
        }
        var loop = MarkdownTable(header: ["round", "Gini A", "coverage A", "CTR A", "Gini B", "coverage B", "CTR B"],
                                 rightAligned: [0, 1, 2, 3, 4, 5, 6])
        for (ra, rb) in zip(feedbackA, feedbackB) {
            loop.rows.append([String(ra.round), d(ra.exposureGini), d(ra.coverage), d(ra.clickThroughRate),
                              d(rb.exposureGini), d(rb.coverage), d(rb.clickThroughRate)])
        }
        let needed = { (n: Int?) in n.map(String.init) ?? "–" }
        let rejections = calibration.rejections
        return """
        # Simulated A/B test: \(a.model) (A) vs \(b.model) (B) on \(dataset)

        \(users) simulated users, \(options.sessionsPerUser) session(s) each, slates of \(options.slateSize), \
        \(options.clickModel.kind.rawValue) click model, truth model \(options.truthModel), seed \(options.seed).

        \(rankers.rendered())
        ## A/B test (\(abTest.usersA) users in A, \(abTest.usersB) in B)

        \(ab.rendered())
        ## Team-draft interleaving (\(interleaving.users) users)

        A won \(interleaving.winsA) sessions, B \(interleaving.winsB), \(interleaving.ties) ties: preference for A \
        \(d(interleaving.preferenceForA)); Δ = \(d(interleaving.delta)) \(interval(interleaving.interval)), \
        p = \(MarkdownTable.pValue(interleaving.pValue)).

        ## Power (α = \(power.alpha), target \(power.targetPower))

        Users needed: A/B test \(needed(power.abUsersNeeded)), interleaving \(needed(power.interleavingUsersNeeded)) \
        (normal approximation from the observed effects; simulated columns: \(options.replications) seeded runs per size).

        \(curve.rendered())
        ## A/A calibration (\(calibration.model) against itself)

        Share of \(rejections.runs) seeded runs significant at α = \(calibration.alpha): A/B test \(d(rejections.abTest)) \
        \(interval(.wilson(rate: rejections.abTest, trials: rejections.runs))), interleaving \
        \(d(rejections.interleaving)) \(interval(.wilson(rate: rejections.interleaving, trials: rejections.runs))) \
        (95% Wilson intervals; honest tests give about α).

        ## Feedback loop (each ranker refit on the clicks it caused)

        \(loop.rendered())
        Simulated winner: \(simulatedWinner); offline winner: \(offlineWinner) \
        (\(directionAgrees ? "directions agree" : "directions DISAGREE")).

        """
    }
}
