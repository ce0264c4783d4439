import SeededRandom
import Simulation
import XCTest

/// Team-draft interleaving on tiny slates.
final class TeamDraftInterleavingTests: XCTestCase {
    func testIdenticalListsGiveTheListWithBalancedTeams() {
        var random = SplitMix64(seed: 3)
        for _ in 0..<50 {
            let slate = TeamDraftInterleaving.interleave([1, 2, 3, 4], [1, 2, 3, 4], size: 4, random: &random)
            XCTAssertEqual(slate.items, [1, 2, 3, 4])
            XCTAssertEqual(slate.teams.filter { $0 == .a }.count, 2)
        }
    }

    func testDisjointListsAlternateInPairsAndTheCoinDecidesTheOrder() {
        var random = SplitMix64(seed: 5)
        var orders = Set<[Int32]>()
        for _ in 0..<100 {
            let slate = TeamDraftInterleaving.interleave([1, 2, 3], [4, 5, 6], size: 4, random: &random)
            // Each round's pair holds one item of each team, each team's next best.
            XCTAssertEqual(Set(slate.items.prefix(2)), [1, 4])
            XCTAssertEqual(Set(slate.items.suffix(2)), [2, 5])
            for (item, team) in zip(slate.items, slate.teams) { XCTAssertEqual(team, item <= 3 ? .a : .b) }
            orders.insert(slate.items)
        }
        XCTAssertEqual(orders.count, 4, "both teams must sometimes pick first in each round")
    }

    func testOverlapSkipsItemsAlreadyOnTheSlate() {
        // A first: A takes 1, B's best (1) is taken so B takes 2; then a coin picks 3 for one team.
        var random = SplitMix64(seed: 11)
        for _ in 0..<20 {
            let slate = TeamDraftInterleaving.interleave([1, 2, 3], [1, 2, 3], size: 3, random: &random)
            XCTAssertEqual(slate.items, [1, 2, 3])
            XCTAssertNotEqual(slate.teams[0], slate.teams[1])
        }
    }

    func testAnExhaustedListLetsTheOtherTeamFillTheSlate() {
        var random = SplitMix64(seed: 2)
        let slate = TeamDraftInterleaving.interleave([1], [2, 3, 4], size: 4, random: &random)
        XCTAssertEqual(Set(slate.items), [1, 2, 3, 4])
        XCTAssertEqual(slate.teams.filter { $0 == .a }.count, 1)
    }

    func testCreditByHand() {
        XCTAssertEqual(TeamDraftInterleaving.credit(clicked: [true, true, false], teams: [.a, .b, .a]), 0)
        XCTAssertEqual(TeamDraftInterleaving.credit(clicked: [true, false, true], teams: [.a, .b, .a]), 1)
        XCTAssertEqual(TeamDraftInterleaving.credit(clicked: [false, true, false], teams: [.a, .b, .a]), -1)
        XCTAssertEqual(TeamDraftInterleaving.credit(clicked: [false, false, false], teams: [.a, .b, .a]), 0)
    }
}
