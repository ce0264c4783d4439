import NeuralNet
import Recommenders
import XCTest

/// Train once, serve many: every collaborative-filtering baseline's fitted state survives a
/// safetensors round trip into a fresh model of the same configuration, which then scores bit for
/// bit as the fitted one; and a state that does not fit the model is rejected with an error naming
/// what is wrong, leaving the model unfit.
final class PersistentStateTests: XCTestCase {
    /// One configuration per baseline (small, so the fits are fast in a debug build), with the
    /// `format` its state carries and the names and shapes of its tensors on `data`.
    static let models: [(make: () -> any PersistentRecommender, format: String)] = [
        ({ MostPop() }, "llmrec.mostpop.v1"),
        ({ RandomRanker(config: .init(seed: 7)) }, "llmrec.random.v1"),
        ({ ItemKNN(config: .init(neighbors: 4, shrink: 1)) }, "llmrec.itemknn.v1"),
        ({ EASE(config: .init(l2: 2)) }, "llmrec.ease.v1"),
        ({ IALS(config: .init(factors: 4, alpha: 5, regularization: 1, iterations: 3, seed: 5)) }, "llmrec.ials.v1"),
    ]

    /// 40 users x 15 items; with 4 neighbours per item, ItemKNN's inverted lists are ragged.
    static let data = Fixtures.randomData(users: 40, items: 15, density: 0.3, seed: 21)

    /// Every training user's history, then an empty one, one with repeats and one of a new user.
    static let histories = data.sequences + [[], [3, 3, 7, 3], [14, 0, 9]]

    /// The fitted model and its state, encoded and decoded as a file would be.
    func fittedAndSaved(_ make: () -> any PersistentRecommender) throws -> (any PersistentRecommender, Safetensors.Contents) {
        let model = make()
        try model.fit(Self.data)
        return (model, try Safetensors.decode(Safetensors.encode(model.fittedState())))
    }

    func testRestoredModelScoresBitForBitAsTheFittedOne() throws {
        for (make, format) in Self.models {
            let (fitted, state) = try fittedAndSaved(make)
            XCTAssertEqual(state, try fitted.fittedState(), "\(fitted.name): the file round trip is lossless")
            XCTAssertEqual(state.metadata["format"], format)
            XCTAssertEqual(state.metadata["numItems"], String(Self.data.numItems), fitted.name)

            let restored = make()
            try restored.restoreFittedState(state)
            XCTAssertEqual(restored.numItems, fitted.numItems, fitted.name)
            let users = Self.histories.indices.map { Int32($0) }
            let expected = Fixtures.scores(of: fitted, histories: Self.histories)
            let found = Fixtures.scores(of: restored, histories: Self.histories)
            for user in users.indices {
                XCTAssertEqual(found[user].map(\.bitPattern), expected[user].map(\.bitPattern), "\(fitted.name): user \(user)")
                let wanted = fitted.recommend(user: users[user], history: Self.histories[user], k: 10)
                let got = restored.recommend(user: users[user], history: Self.histories[user], k: 10)
                XCTAssertEqual(got.map(\.item), wanted.map(\.item), "\(fitted.name): user \(user)'s list")
                XCTAssertEqual(got.map(\.score.bitPattern), wanted.map(\.score.bitPattern), "\(fitted.name): user \(user)'s list")
            }
            // Saving the restored model gives the same state again.
            XCTAssertEqual(try restored.fittedState(), state, "\(fitted.name): state of the restored model")
        }
    }

    func testTensorNamesAndShapes() throws {
        let n = Self.data.numItems
        var shapes: [String: [String: [Int]]] = [:]
        for (make, _) in Self.models {
            let (fitted, state) = try fittedAndSaved(make)
            shapes[fitted.name] = state.tensors.mapValues(\.shape)
        }
        XCTAssertEqual(shapes["mostpop"], ["popularity": [n]])
        XCTAssertEqual(shapes["random"], [:])
        XCTAssertEqual(shapes["ease"], ["weights": [n, n]])
        XCTAssertEqual(shapes["ials"], ["itemFactors": [n, 4], "itemGramPlusRegularization": [4, 4]])
        let nnz = try XCTUnwrap(shapes["itemknn"]?["candidateIDs"])
        XCTAssertEqual(shapes["itemknn"], ["candidateCounts": [n], "candidateIDs": nnz, "candidateSimilarities": nnz])
        XCTAssertLessThanOrEqual(nnz.first ?? .max, 4 * n, "at most 4 neighbours per candidate")
    }

    /// `body` throws `expected` from `restoreFittedState` and leaves the model unfit.
    func assertRejects(_ state: Safetensors.Contents, into make: () -> any PersistentRecommender,
                       with expected: (SafetensorsError) -> Bool, _ label: String,
                       file: StaticString = #filePath, line: UInt = #line) {
        let model = make()
        XCTAssertThrowsError(try model.restoreFittedState(state), label, file: file, line: line) { error in
            guard let error = error as? SafetensorsError, expected(error) else {
                return XCTFail("\(label): unexpected error \(error)", file: file, line: line)
            }
        }
        XCTAssertEqual(model.numItems, 0, "\(label): the model stays unfit", file: file, line: line)
    }

    func testMissingTensorIsNamed() throws {
        for (make, _) in Self.models {
            let (fitted, state) = try fittedAndSaved(make)
            for name in state.tensors.keys {
                var broken = state
                broken.tensors[name] = nil
                assertRejects(broken, into: make, with: { $0 == .missingTensor(name) }, "\(fitted.name) without \(name)")
            }
        }
    }

    func testWrongShapeIsNamed() throws {
        for (make, _) in Self.models {
            let (fitted, state) = try fittedAndSaved(make)
            for (name, tensor) in state.tensors {
                var broken = state
                broken.tensors[name] = Safetensors.Tensor(shape: [1] + tensor.shape, values: tensor.values)
                assertRejects(broken, into: make, with: { $0 == .shapeMismatch(name: name, expected: tensor.shape, found: [1] + tensor.shape) },
                              "\(fitted.name) with \(name) reshaped")
            }
            // A state saved for another catalogue size: the first tensor read no longer fits.
            if !state.tensors.isEmpty {
                var resized = state
                resized.metadata["numItems"] = String(Self.data.numItems + 1)
                assertRejects(resized, into: make, with: {
                    if case .shapeMismatch = $0 { return true } else { return false }
                }, "\(fitted.name) with another numItems")
            }
        }
        // iALS's shapes follow the configuration: a state of 4 factors does not fit 8.
        let (_, state) = try fittedAndSaved { IALS(config: .init(factors: 4, iterations: 1)) }
        assertRejects(state, into: { IALS(config: .init(factors: 8)) },
                      with: { $0 == .shapeMismatch(name: "itemFactors", expected: [Self.data.numItems, 8], found: [Self.data.numItems, 4]) },
                      "iALS state of another factor count")
    }

    func testAnotherModelsStateIsRejectedByItsFormat() throws {
        let states = try Self.models.map { try fittedAndSaved($0.make).1 }
        for (target, (make, format)) in Self.models.enumerated() {
            for (source, state) in states.enumerated() where source != target {
                let found = state.metadata["format"]!
                assertRejects(state, into: make, with: {
                    $0 == .badHeader("the state has format \"\(found)\"; expected \"\(format)\"")
                }, "\(found) state into a \(format) model")
            }
            var unlabelled = states[target]
            unlabelled.metadata["format"] = nil
            assertRejects(unlabelled, into: make, with: {
                $0 == .badHeader("the state has no \"format\" metadata; expected \"\(format)\"")
            }, "\(format) state without a format")
            var noSize = states[target]
            noSize.metadata["numItems"] = "many"
            assertRejects(noSize, into: make, with: {
                if case .badHeader(let what) = $0 { return what.contains("numItems") } else { return false }
            }, "\(format) state with a bad numItems")
        }
    }

    func testItemKNNRejectsIdsThatAreNotItems() throws {
        let make: () -> any PersistentRecommender = { ItemKNN(config: .init(neighbors: 4, shrink: 1)) }
        let (_, state) = try fittedAndSaved(make)
        for bad: Float in [Float(Self.data.numItems), -1, 2.5, .nan] {
            var broken = state
            broken.tensors["candidateIDs"]!.values[0] = bad
            assertRejects(broken, into: make, with: {
                if case .badHeader(let what) = $0 { return what.contains("candidateIDs") } else { return false }
            }, "ItemKNN candidate id \(bad)")
        }
        var broken = state
        broken.tensors["candidateCounts"]!.values[0] += 1
        assertRejects(broken, into: make, with: {
            if case .shapeMismatch(name: "candidateIDs", _, _) = $0 { return true } else { return false }
        }, "ItemKNN counts that do not add up to the ids")
    }
}
