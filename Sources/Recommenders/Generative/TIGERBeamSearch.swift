import Foundation
import LinearAlgebra
import NeuralNet
import SemanticIDs

/// Constrained beam search over a trained `TIGERNetwork` (Rajput et al. 2023, §3.2) for a batch of
/// users (`TIGER` passes one at a time, so that no user's rounding depends on its company): the
/// next item's codes are decoded one level at a time, and every step keeps only codes the prefix
/// trie allows, so every finished beam is a real item.
///
/// Per batch of users:
/// 1. the encoder runs once over each history's last `maxLength` items (packed);
/// 2. each decoder block projects those states to cross-attention keys and values once;
/// 3. step `l` feeds every live beam's last token (BOS, then the code chosen at level `l-1`; with
///    `decoderLastState` plus the user's last encoder state) through the decoder with a key-value
///    cache of the earlier steps' self-attention, so a step costs one token per beam; the level's
///    output table gives log-probabilities (a full softmax
///    over the codebook, or with `constrainedSoftmax` over the codes the trie allows after the
///    beam's prefix: the model's own likelihood either way); each user keeps its `beamWidth` best
///    children `score + log p(code)` over all its beams (ties: lower trie node, i.e. the
///    lexicographically smaller code, first) and the caches follow their parents.
///
/// A beam as wide as the catalogue keeps every trie node at every depth: the scores are then the
/// exact log-likelihood of every item's code (`TIGER.exactLogLikelihoods`), which is how tests
/// check the beam. Scores are sums of per-level log-probabilities, `≤ 0`, plus the popularity
/// correction's per-node offsets when it is on.
struct TIGERBeamSearch {
    /// One user's finished beams, best first: items and their log-likelihoods.
    struct Generated {
        var items: [Int32] = []
        var scores: [Float] = []
    }

    private var network: TIGERNetwork
    private let trie: SemanticIDTrie
    private let codes: SemanticIDCodes
    private let heads: Int
    private let maxLength: Int
    /// Normalise each step's softmax over the codes the trie allows after the beam's prefix
    /// (`TIGER.Config.constrainedSoftmax`) instead of the whole codebook.
    private let constrainedSoftmax: Bool
    /// Per trie node, a term added to the log-probability of stepping into it
    /// (`TIGER.Config.popularityCorrection`), `[nodes]`; nil: none.
    private let nodeScoreOffsets: [Float]?

    /// A search over `network` (copied: its caches become this search's scratch space).
    init(network: TIGERNetwork, trie: SemanticIDTrie, codes: SemanticIDCodes, heads: Int, maxLength: Int,
         constrainedSoftmax: Bool, nodeScoreOffsets: [Float]? = nil) {
        self.network = network
        self.trie = trie
        self.codes = codes
        self.heads = heads
        self.maxLength = maxLength
        self.constrainedSoftmax = constrainedSoftmax
        self.nodeScoreOffsets = nodeScoreOffsets
    }

    /// The `beamWidth` most likely items after each history (fewer when the trie has fewer),
    /// best first, history items not removed; and the encoder's last state after each history
    /// (`[histories.count, dim]`, zeros for an empty one), which the hybrid's dense head scores with.
    mutating func run(histories: [[Int32]], beamWidth: Int) -> (generated: [Generated], userStates: [Float]) {
        let (dim, levels) = (network.dim, network.levels)
        let windows = histories.map { $0.suffix(maxLength) }
        let memoryLayout = SequenceLayout.packed(lengths: windows.map(\.count))
        let memory = network.encode(items: Array(windows.joined()), codes: codes, layout: memoryLayout, training: false)
        let crossKeyValues = network.decoderBlocks.indices.map { b in
            var projection = network.decoderBlocks[b].crossAttention.keyValue
            return projection.forward(memory)
        }

        let userStates = SequentialUserModel.lastStates(memory, layout: memoryLayout, dim: dim)
        var beams = Beams(users: histories.count, levels: levels, blocks: network.decoderBlocks.count, dim: dim)
        for level in 0..<levels {
            var x = stepInputs(beams: beams, level: level, userStates: userStates)
            for b in network.decoderBlocks.indices {
                x = decoderBlockStep(b, x: x, beams: &beams, level: level, memoryKeyValues: crossKeyValues[b],
                                     memoryLayout: memoryLayout)
            }
            let hidden = network.decoderNorm.forward(x)
            let logProbabilities = levelLogProbabilities(hidden, level: level, nodes: beams.node)
            beams = beams.expanded(trie: trie, logProbabilities: logProbabilities, codebookSize: network.codebookSizes[level],
                                   beamWidth: beamWidth, level: level)
        }
        var generated = [Generated](repeating: Generated(), count: histories.count)
        for r in 0..<beams.count {
            generated[beams.user[r]].items.append(trie.item[beams.node[r]])
            generated[beams.user[r]].scores.append(beams.score[r])
        }
        return (generated, userStates)
    }

    /// Decoder inputs of step `level`, `[beams, dim]`: the token embedding (BOS at level 0, else the
    /// code of the beam's node at level `level - 1`) plus the level embedding, plus with
    /// `decoderLastState` the beam's user's row of `userStates` `[users, dim]`.
    private mutating func stepInputs(beams: Beams, level: Int, userStates: [Float]) -> [Float] {
        let dim = network.dim
        let tokens = beams.node.map { node in
            level == 0 ? Int32(0) : Int32(network.decoderOffsets[level - 1]) + trie.code[node]
        }
        var x = network.decoderTokens.forward(tokens)
        network.decoderLevels.table.value.withUnsafeBufferPointer { levelTable in
            let levelRow = UnsafeBufferPointer(rebasing: levelTable[level * dim..<(level + 1) * dim])
            x.withUnsafeMutableBufferPointer { x in
                for r in 0..<tokens.count {
                    SIMDKernels.axpy(1, levelRow, UnsafeMutableBufferPointer(rebasing: x[r * dim..<(r + 1) * dim]))
                }
                guard network.decoderReadsLastState else { return }
                userStates.withUnsafeBufferPointer { states in
                    for r in 0..<tokens.count {
                        let user = beams.user[r]
                        SIMDKernels.axpy(1, UnsafeBufferPointer(rebasing: states[user * dim..<(user + 1) * dim]),
                                         UnsafeMutableBufferPointer(rebasing: x[r * dim..<(r + 1) * dim]))
                    }
                }
            }
        }
        return x
    }

    /// One decoder block on one token per beam (`TransformerDecoderBlock.forward` without dropout):
    /// self-attention over the beam's cached steps `0...level`, cross-attention over its user's
    /// encoder states, feed-forward.
    private mutating func decoderBlockStep(_ b: Int, x: [Float], beams: inout Beams, level: Int,
                                           memoryKeyValues: [Float], memoryLayout: SequenceLayout) -> [Float] {
        let dim = network.dim
        let headDim = dim / heads
        let scale = 1 / Float(headDim).squareRoot()
        var block = network.decoderBlocks[b]
        defer { network.decoderBlocks[b] = block }
        let rows = beams.count

        // Self-attention with the key-value cache.
        let qkv = block.selfAttention.qkv.forward(block.selfAttentionNorm.forward(x))
        beams.storeSelfKeyValues(qkv, block: b, level: level)
        var attended = [Float](repeating: 0, count: rows * dim)
        var weights = [Float](repeating: 0, count: level + 1)
        let stepStride = 2 * dim, rowStride = beams.levels * stepStride
        qkv.withUnsafeBufferPointer { qkv in
            beams.selfCache[b].withUnsafeBufferPointer { cache in
                attended.withUnsafeMutableBufferPointer { out in
                    weights.withUnsafeMutableBufferPointer { weights in
                        for r in 0..<rows {
                            for h in 0..<heads {
                                let queryStart = r * 3 * dim + h * headDim
                                let query = UnsafeBufferPointer(rebasing: qkv[queryStart..<queryStart + headDim])
                                for s in 0...level {
                                    let key = r * rowStride + s * stepStride + h * headDim
                                    weights[s] = scale * SIMDKernels.dot(query, UnsafeBufferPointer(rebasing: cache[key..<key + headDim]))
                                }
                                VectorMath.softmaxInPlace(weights.baseAddress!, count: level + 1)
                                let outStart = r * dim + h * headDim
                                let target = UnsafeMutableBufferPointer(rebasing: out[outStart..<outStart + headDim])
                                for s in 0...level {
                                    let value = r * rowStride + s * stepStride + dim + h * headDim
                                    SIMDKernels.axpy(weights[s], UnsafeBufferPointer(rebasing: cache[value..<value + headDim]), target)
                                }
                            }
                        }
                    }
                }
            }
        }
        var h1 = x
        VectorMath.add(block.selfAttention.output.forward(attended), into: &h1)

        // Cross-attention: each user's beams against its encoder states, one small GEMM pair per head.
        let queries = block.crossAttention.query.forward(block.crossAttentionNorm.forward(h1))
        var crossed = [Float](repeating: 0, count: rows * dim)
        queries.withUnsafeBufferPointer { q in
            memoryKeyValues.withUnsafeBufferPointer { kv in
                crossed.withUnsafeMutableBufferPointer { out in
                    var scores: [Float] = []
                    for (user, range) in beams.userRanges.enumerated() where !range.isEmpty {
                        let (start, keys) = (memoryLayout.starts[user], memoryLayout.lengths[user])
                        guard keys > 0 else { continue }
                        if scores.count < range.count * keys { scores = [Float](repeating: 0, count: range.count * keys) }
                        scores.withUnsafeMutableBufferPointer { s in
                            for h in 0..<heads {
                                let column = h * headDim
                                BLAS.gemm(transposeB: true, m: range.count, n: keys, k: headDim, alpha: scale,
                                          a: q.baseAddress! + range.lowerBound * dim + column, lda: dim,
                                          b: kv.baseAddress! + start * 2 * dim + column, ldb: 2 * dim,
                                          c: s.baseAddress!, ldc: keys)
                                for i in 0..<range.count { VectorMath.softmaxInPlace(s.baseAddress! + i * keys, count: keys) }
                                BLAS.gemm(m: range.count, n: headDim, k: keys, a: s.baseAddress!, lda: keys,
                                          b: kv.baseAddress! + start * 2 * dim + dim + column, ldb: 2 * dim,
                                          c: out.baseAddress! + range.lowerBound * dim + column, ldc: dim)
                            }
                        }
                    }
                }
            }
        }
        var h2 = h1
        VectorMath.add(block.crossAttention.output.forward(crossed), into: &h2)
        var y = h2
        VectorMath.add(block.feedForward.forward(block.feedForwardNorm.forward(h2), training: false), into: &y)
        return y
    }

    /// Log-softmax of `hidden · output[level]ᵀ` (plus the trie-node rows' terms, with
    /// `nodeOutputRows`; then plus the children's `nodeScoreOffsets`), `[rows, V_level]`, for the
    /// beams at trie `nodes` (`[rows]`): normalised over the whole codebook, or with
    /// `constrainedSoftmax` over each node's children (the entries of other codes are then
    /// meaningless; the trie never reads them).
    private func levelLogProbabilities(_ hidden: [Float], level: Int, nodes: [Int]) -> [Float] {
        let (rows, size) = (nodes.count, network.codebookSizes[level])
        var logits = [Float](repeating: 0, count: rows * size)
        guard rows > 0 else { return logits }
        let (table, firstRow) = network.outputTable(level)
        table.value.withUnsafeBufferPointer { table in
            BLAS.gemm(transposeB: true, m: rows, n: size, k: network.dim, a: hidden, lda: network.dim,
                      b: table.baseAddress! + firstRow * network.dim, ldb: network.dim, c: &logits, ldc: size)
        }
        hidden.withUnsafeBufferPointer { hidden in
            logits.withUnsafeMutableBufferPointer { logits in
                for r in 0..<rows {
                    let row = UnsafeMutableBufferPointer(rebasing: logits[r * size..<(r + 1) * size])
                    network.addNodeLogits(hidden.baseAddress! + r * network.dim, parent: nodes[r], trie: trie, into: row.baseAddress!)
                    let logNormaliser = constrainedSoftmax
                        ? Self.logSumExp(row, over: trie.validNextCodes(of: nodes[r]).lazy.map(Int.init))
                        : Self.logSumExp(row, over: 0..<size)
                    for j in 0..<size { row[j] -= logNormaliser }
                    if let nodeScoreOffsets {
                        for child in trie.children(of: nodes[r]) { row[Int(trie.code[child])] += nodeScoreOffsets[child] }
                    }
                }
            }
        }
        return logits
    }

    /// `log Σ_j exp(row[j])` over `columns` (not empty).
    private static func logSumExp(_ row: UnsafeMutableBufferPointer<Float>, over columns: some Collection<Int>) -> Float {
        let largest = columns.lazy.map { row[$0] }.max()!
        var sum: Float = 0
        for j in columns { sum += expf(row[j] - largest) }
        return largest + logf(sum)
    }
}

/// The live beams of a batch of users, grouped by user (user `u`'s beams are rows
/// `userRanges[u]`), with each beam's self-attention key-value cache per decoder block.
private struct Beams {
    let levels: Int
    let dim: Int
    /// Per beam: its user, trie node and log-likelihood so far.
    var user: [Int]
    var node: [Int]
    var score: [Float]
    /// Per user, its beams' rows.
    var userRanges: [Range<Int>]
    /// Per decoder block, `[beams, levels, 2·dim]`: the K and V rows of every decoded step.
    var selfCache: [[Float]]

    /// One BOS beam per user at the root.
    init(users: Int, levels: Int, blocks: Int, dim: Int) {
        self.levels = levels
        self.dim = dim
        user = Array(0..<users)
        node = [Int](repeating: SemanticIDTrie.root, count: users)
        score = [Float](repeating: 0, count: users)
        userRanges = (0..<users).map { $0..<$0 + 1 }
        selfCache = [[Float]](repeating: [Float](repeating: 0, count: users * levels * 2 * dim), count: blocks)
    }

    var count: Int { node.count }

    /// Stores step `level`'s keys and values (columns `dim..<3·dim` of `qkv`, `[beams, 3·dim]`).
    mutating func storeSelfKeyValues(_ qkv: [Float], block: Int, level: Int) {
        let (dim, levels) = (dim, levels)
        qkv.withUnsafeBufferPointer { qkv in
            selfCache[block].withUnsafeMutableBufferPointer { cache in
                for r in 0..<node.count {
                    let target = cache.baseAddress! + (r * levels + level) * 2 * dim
                    target.update(from: qkv.baseAddress! + r * 3 * dim + dim, count: 2 * dim)
                }
            }
        }
    }

    /// The next step's beams: for each user, the `beamWidth` best (beam, allowed child) pairs by
    /// `score + log p(child's code)`, ties to the lower node; caches copied from the parents.
    func expanded(trie: SemanticIDTrie, logProbabilities: [Float], codebookSize: Int, beamWidth: Int,
                  level: Int) -> Beams {
        var next = self
        next.user = []
        next.node = []
        next.score = []
        next.userRanges = []
        var parents: [Int] = []
        var candidates: [(score: Float, node: Int, parent: Int)] = []
        for (u, range) in userRanges.enumerated() {
            candidates.removeAll(keepingCapacity: true)
            for r in range {
                let children = trie.children(of: node[r])
                for child in children {
                    candidates.append((score[r] + logProbabilities[r * codebookSize + Int(trie.code[child])], child, r))
                }
            }
            candidates.sort { $0.score > $1.score || ($0.score == $1.score && $0.node < $1.node) }
            if candidates.count > beamWidth { candidates.removeLast(candidates.count - beamWidth) }
            let first = next.node.count
            for candidate in candidates {
                next.user.append(u)
                next.node.append(candidate.node)
                next.score.append(candidate.score)
                parents.append(candidate.parent)
            }
            next.userRanges.append(first..<next.node.count)
        }
        let rowFloats = levels * 2 * dim, kept = (level + 1) * 2 * dim
        for b in selfCache.indices {
            var cache = [Float](repeating: 0, count: parents.count * rowFloats)
            selfCache[b].withUnsafeBufferPointer { old in
                cache.withUnsafeMutableBufferPointer { new in
                    for (r, parent) in parents.enumerated() {
                        (new.baseAddress! + r * rowFloats).update(from: old.baseAddress! + parent * rowFloats, count: kept)
                    }
                }
            }
            next.selfCache[b] = cache
        }
        return next
    }
}
