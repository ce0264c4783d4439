import NeuralNet

extension ItemKNN: PersistentRecommender {
    /// The `format` metadata of ItemKNN's fitted state.
    static let stateFormat = "llmrec.itemknn.v1"

    /// The neighbour lists as scoring uses them, inverted and ragged (CSR by history item h, whose
    /// row lists every candidate j with h ∈ N(j)):
    /// - `candidateCounts`, `[numItems]`: row lengths (whole numbers; row h starts at the sum of the
    ///   counts before it; counts rather than offsets so every value stays below numItems ≤ 2²⁴);
    /// - `candidateIDs`, `[nnz]`: candidate item ids (whole numbers), ascending within each row;
    /// - `candidateSimilarities`, `[nnz]`: `sim(h, j)` aligned with `candidateIDs`;
    /// with `nnz` the sum of the counts. Metadata: `format` `"llmrec.itemknn.v1"`, `numItems`.
    public func fittedState() throws -> Safetensors.Contents {
        let counts = (0..<numItems).map { exactFloat(candidateStart[$0 + 1] - candidateStart[$0]) }
        return Safetensors.Contents(tensors: [
            "candidateCounts": Safetensors.Tensor(shape: [numItems], values: counts),
            "candidateIDs": Safetensors.Tensor(shape: [candidateIDs.count], values: candidateIDs.map { exactFloat(Int($0)) }),
            "candidateSimilarities": Safetensors.Tensor(shape: [candidateSimilarities.count], values: candidateSimilarities),
        ], metadata: fittedStateMetadata(format: Self.stateFormat, numItems: numItems))
    }

    public func restoreFittedState(_ state: Safetensors.Contents) throws {
        let n = try state.stateNumItems(format: Self.stateFormat)
        guard n <= largestExactFloatInteger else {
            throw SafetensorsError.badHeader("\(Self.stateFormat) state: numItems \(n) exceeds 2^24, so its ids are not exact")
        }
        let counts = try state.integers(of: "candidateCounts", shape: [n], in: 0..<n + 1)
        var start = [0]
        start.reserveCapacity(n + 1)
        for count in counts { start.append(start[start.count - 1] + count) }
        let ids = try state.integers(of: "candidateIDs", shape: [start[n]], in: 0..<n)
        let similarities = try state.values(of: "candidateSimilarities", shape: [start[n]])
        candidateStart = start
        candidateIDs = ids.map { Int32($0) }
        candidateSimilarities = similarities
        numItems = n
    }
}
