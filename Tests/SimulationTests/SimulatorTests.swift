import Simulation
import XCTest

/// The simulator on synthetic users: reproducible from the seed, stable arms, the better ranker wins.
final class SimulatorTests: XCTestCase {
    /// 400 users, 30 items; user u likes items near (u mod 30); ranker A ranks by true taste,
    /// ranker B by item id.
    private func simulator(seed: UInt64, sessions: Int = 2) -> Simulator {
        let users = 400, items = 30
        let scores = (0..<users).map { u in (0..<items).map { i in -Float(abs(i - u % items)) } }
        let truth = GroundTruth(truth: TableScorer(scores), allSequences: Array(repeating: [], count: users),
                                rankerHistories: Array(repeating: [], count: users))
        let good = RankedLists(ranker: TableScorer(scores), histories: Array(repeating: [], count: users), depth: 10)
        let plain = RankedLists(lists: Array(repeating: (0..<10).map { Int32($0) }, count: users))
        return Simulator(truth: truth, clickModel: ClickModel(), slateSize: 5, sessionsPerUser: sessions,
                         listsA: good, listsB: plain, seed: seed)
    }

    func testEverythingIsReproducibleFromTheSeed() {
        let users = Array(0..<400)
        let (first, again, other) = (simulator(seed: 1), simulator(seed: 1), simulator(seed: 2))
        XCTAssertEqual(first.abTest(users: users, run: 0).values[.clickThroughRate]!.a,
                       again.abTest(users: users, run: 0).values[.clickThroughRate]!.a)
        XCTAssertEqual(first.interleaving(users: users, run: 0).winsA, again.interleaving(users: users, run: 0).winsA)
        XCTAssertEqual(first.rejectionRates(usersPerRun: 50, replications: 20, alpha: 0.05),
                       again.rejectionRates(usersPerRun: 50, replications: 20, alpha: 0.05))
        XCTAssertNotEqual(first.abTest(users: users, run: 0).values[.clickThroughRate]!.a,
                          other.abTest(users: users, run: 0).values[.clickThroughRate]!.a)
        XCTAssertNotEqual(first.abTest(users: users, run: 0).values[.clickThroughRate]!.a,
                          first.abTest(users: users, run: 1).values[.clickThroughRate]!.a)
    }

    func testArmsAreAStableRoughlyEvenHash() {
        let simulator = simulator(seed: 4)
        let arms = (0..<400).map { simulator.arm(of: $0, run: 0) }
        XCTAssertEqual(arms, (0..<400).map { simulator.arm(of: $0, run: 0) })
        XCTAssertEqual(Double(arms.filter { $0 == .a }.count), 200, accuracy: 40)
        XCTAssertNotEqual(arms, (0..<400).map { simulator.arm(of: $0, run: 1) })
    }

    func testTheTasteRankerWinsBothExperiments() {
        let simulator = simulator(seed: 8)
        let users = Array(0..<400)
        let ab = simulator.abTest(users: users, run: 0)
        XCTAssertEqual(ab.usersA + ab.usersB, 400)
        XCTAssertGreaterThan(ab.primary.difference, 0)
        XCTAssertLessThan(ab.primary.pValue, 0.05)
        let interleaving = simulator.interleaving(users: users, run: 0)
        XCTAssertEqual(interleaving.winsA + interleaving.winsB + interleaving.ties, 800)
        XCTAssertGreaterThan(interleaving.preferenceForA, 0.5)
        XCTAssertLessThan(interleaving.test.pValue, 0.05)
    }

    func testUserSamplesAreDistinctAndSeeded() {
        let simulator = simulator(seed: 3)
        let sample = simulator.sampleUsers(count: 50, run: 7)
        XCTAssertEqual(Set(sample).count, 50)
        XCTAssertEqual(sample, simulator.sampleUsers(count: 50, run: 7))
        XCTAssertEqual(simulator.sampleUsers(count: 1_000, run: 7), Array(0..<400))
    }
}
