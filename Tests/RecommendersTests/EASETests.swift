import LinearAlgebra
import Recommenders
import XCTest

final class EASETests: XCTestCase {
    func testClosedFormByHand() throws {
        // X = [[1,1,0],[1,1,1],[0,1,1],[1,0,0]], λ = 1: G = [[4,2,1],[2,4,2],[1,2,3]], det G = 24,
        // P = adj(G)/24 with P00 = 8, P11 = 11, P22 = 12, P01 = -4, P12 = -6, P02 = 0 (x 1/24),
        // B[i,j] = -P[i,j]/P[j,j]: B = [[0, 4/11, 0], [1/2, 0, 1/2], [0, 6/11, 0]].
        let data = TrainingData(numUsers: 4, numItems: 3, sequences: [[0, 1], [0, 1, 2], [1, 2], [0]])
        let model = EASE(config: .init(l2: 1))
        try model.fit(data)
        let expected: [Float] = [0, 4.0 / 11, 0, 0.5, 0, 0.5, 0, 6.0 / 11, 0]
        for (value, wanted) in zip(model.weights.values, expected) { XCTAssertEqual(value, wanted, accuracy: 1e-5) }
        // Scores are the history's indicator row times B.
        let scores = Fixtures.scores(of: model, histories: [[0], [2, 1, 2]])
        for (value, wanted) in zip(scores[0] + scores[1], [0, 4.0 / 11, 0, 0.5, 6.0 / 11, 0.5] as [Float]) {
            XCTAssertEqual(value, wanted, accuracy: 1e-5)
        }
    }

    func testWeightsSolveTheRegularisedRegressionOnRandomData() throws {
        // Closed form (Steck 2019): B = I - P diag(1/diag P) with P = G⁻¹, so G B = G - diag(1/diag P):
        // off the diagonal G B equals G = XᵀX + λI; and B's diagonal is exactly zero.
        let data = Fixtures.randomData(users: 60, items: 25, density: 0.2, seed: 11)
        let l2: Float = 5
        let model = EASE(config: .init(l2: l2))
        try model.fit(data)
        var gram = data.cooccurrence()
        for i in 0..<gram.rows { gram[i, i] += l2 }
        let product = Matrix.product(gram, model.weights)
        for i in 0..<25 {
            XCTAssertEqual(model.weights[i, i], 0)
            for j in 0..<25 where i != j { XCTAssertEqual(product[i, j], gram[i, j], accuracy: 1e-3, "(\(i), \(j))") }
        }
        // A history's scores equal its indicator row times B, for every user.
        let scores = Fixtures.scores(of: model, histories: data.sequences)
        for u in 0..<data.numUsers {
            var indicator = [Float](repeating: 0, count: 25)
            for item in data.sequences[u] { indicator[Int(item)] = 1 }
            let expected = model.weights.multiply(indicator, transpose: true)
            for i in 0..<25 { XCTAssertEqual(scores[u][i], expected[i], accuracy: 1e-5) }
        }
    }

    func testRowSumScoresEqualTheDenseIndicatorProductAndIgnoreTheBatch() throws {
        // The reference: every history's 0/1 indicator row times B in one GEMM, the product
        // `scoreBatch` replaced. The row sums must agree with it, and a user's scores must be the
        // same bits alone as in a batch (the export's shards depend on it).
        let data = Fixtures.randomData(users: 90, items: 57, density: 0.12, seed: 17)
        let model = EASE(config: .init(l2: 3))
        try model.fit(data)
        let n = data.numItems
        var indicators = Matrix(rows: data.numUsers, cols: n)
        for user in 0..<data.numUsers { for item in data.sequences[user] { indicators[user, Int(item)] = 1 } }
        let dense = Matrix.product(indicators, model.weights)
        let batched = Fixtures.scores(of: model, histories: data.sequences)
        for user in 0..<data.numUsers {
            for item in 0..<n { XCTAssertEqual(batched[user][item], dense[user, item], accuracy: 1e-5, "(\(user), \(item))") }
            XCTAssertEqual(Fixtures.scores(of: model, histories: [data.sequences[user]])[0], batched[user], "user \(user)")
        }
    }

    func testCandidates() {
        XCTAssertEqual(EASE.candidates().map(\.config), [["l2": "100.0"], ["l2": "300.0"], ["l2": "1000.0"], ["l2": "3000.0"]])
        XCTAssertEqual(EASE.candidates()[1].make().configDescription, ["l2": "300.0"])
    }
}
