import LinearAlgebra
import NeuralNet
import SeededRandom
import SemanticIDs

/// TIGER's encoder-decoder (Rajput et al. 2023, "Recommender Systems with Generative Retrieval"),
/// over the semantic IDs of `codes` (`L` levels, codebook sizes `V_l`).
///
/// - **Encoder.** One position per history item: the sum of its code embeddings, one table row
///   per (level, code), scaled by √dim, plus a learned position; dropout; a causal pre-LN
///   transformer. TIGER's encoder reads one token per code and is bidirectional; here an item is
///   one position and attention is causal, so the encoder runs once per user sequence and its
///   state at position `t` is exactly the encoding of the prefix `0...t` (every prefix of a
///   history is a training example for the price of one pass, and serving needs no re-encoding).
///   With `encoderItemIDs` a learned item-ID embedding joins the sum; with `encoderItemText` (the
///   hybrid) the text tower's output `r_i`, scaled by √dim, joins it, as HLLM feeds its user model
///   (the decoder is unchanged either way). With `encoderNodeRows` the trie-node output rows along
///   the item's path join it too, scaled by √dim (input and output tied at the node level).
/// - **Decoder.** For the item after position `t`: tokens `BOS, c_1, ..., c_{L-1}` (one embedding
///   table, a row per (level, code) of the first `L-1` levels and one for BOS) plus a learned level
///   embedding, plus with `decoderLastState` the encoder state at `t`; dropout; pre-LN decoder
///   blocks (causal self-attention, cross-attention to the encoder states `0...t`, feed-forward)
///   and a final LayerNorm. The state after token `l`
///   gives the logits of code `c_{l+1}` against level `l`'s output table (`[V_l, dim]`). With
///   `nodeOutputRows` each code's logit also gets `h · N[node]`, a learned row of the trie node the
///   code leads to under the row's prefix, so siblings differ by more than their shared code rows
///   (at a leaf, item-level capacity, like SASRec's item embeddings); the rows start at zero.
///   With `tiedOutputTables` the output rows of level `l` are the encoder's embeddings of level
///   `l`'s codes, as SASRec scores items against its input item embeddings.
///
/// - **Dense head** (the hybrid, after LIGER, Yang et al. 2024, "Unifying Generative and Dense
///   Retrieval for Sequential Recommendation"): a linear text tower maps each item's frozen
///   item-LLM embedding to `r_i` `[dim]`; the encoder state at position `t` scores the next item
///   densely as `h_t · r_i`, so items the decoder never learned to generate (cold items) can be
///   ranked by their text.
///
/// Shapes: encoder states `[positions, dim]` (packed by user); decoder rows `[targets · L, dim]`,
/// the `L` rows of one target contiguous. Copying the struct copies activation caches and shares
/// the parameters.
struct TIGERNetwork {
    /// Codebook size per level, `[L]`.
    let codebookSizes: [Int]
    /// Model width.
    let dim: Int
    /// First row of each level's codes in `encoderCodes`, `[L]`.
    let encoderOffsets: [Int]
    /// First row of each level's codes in `decoderTokens` (row 0 is BOS), `[L]` (the last level's
    /// codes are never decoder inputs; its entry is unused).
    let decoderOffsets: [Int]
    /// `[Σ V_l, dim]`: code embeddings of the encoder's item positions.
    var encoderCodes: Embedding
    /// `[maxLength, dim]`.
    var positions: PositionalEmbedding
    var encoderDropout: Dropout
    /// Causal pre-LN blocks and a final LayerNorm.
    var encoder: TransformerEncoder
    /// `[1 + Σ_{l<L-1} V_l, dim]`: BOS and the decoder's input codes.
    var decoderTokens: Embedding
    /// `[L, dim]`: which code position a decoder row predicts.
    var decoderLevels: PositionalEmbedding
    var decoderDropout: Dropout
    /// The decoder blocks.
    var decoderBlocks: [TransformerDecoderBlock]
    /// LayerNorm on the last decoder block's output.
    var decoderNorm: LayerNorm
    /// Per level, `[V_l, dim]`: the output table whose rows score that level's codes (none with
    /// `tiedOutputTables`: `outputTable(_:)` then gives the encoder's code embeddings).
    let outputTables: [Parameter]
    /// With `nodeOutputRows`, `[trie nodes, dim]`: a row per trie node added to its code's output
    /// row (the root's row is unused).
    let nodeOutputs: Parameter?
    /// With `encoderNodeRows`, per item and level the trie node its code leads to (`pathNodes`),
    /// `[numItems, L]`: the `nodeOutputs` rows the encoder adds to the item's input; else empty.
    let itemPathNodes: [Int32]
    /// The hybrid's text tower, `featureDim -> dim` (nil for TIGER alone).
    var textTower: Linear?
    /// `[numItems, dim]`: item-ID embeddings added to the encoder's inputs (nil unless
    /// `encoderItemIDs`).
    var encoderItems: Embedding?
    /// With `encoderItemText`: a copy of `textTower` (same parameters, its own activation cache)
    /// that maps history items' text features to encoder inputs, and those features
    /// `[numItems, featureDim]`.
    var encoderTextTower: Linear?
    let encoderTextFeatures: TIGER.ItemText?
    /// With `decoderLastState`: whether every decoder input token gets the encoder's state at its
    /// target's last history position.
    let decoderReadsLastState: Bool
    /// The memory row each decoder row of the last `decode` read as its last state (-1 for an
    /// empty history, which adds nothing, as the beam's zero state), `[rows]`.
    private var lastStateRows: [Int] = []

    /// A freshly initialised network over the catalogue coded by `codes`, drawing from `random`
    /// (then the text tower over `itemText`'s features, for the hybrid, then the item-ID table,
    /// with `encoderItemIDs`); with `nodeOutputRows`, a zero row per node of `trie` (the codes' trie).
    init(codes: SemanticIDCodes, trie: SemanticIDTrie?, itemText: TIGER.ItemText?, config: TIGER.Config,
         random: inout SplitMix64) {
        let (codebookSizes, numItems, trieNodes) = (codes.codebookSizes, codes.count, trie?.nodeCount ?? 0)
        let dim = config.dim
        self.codebookSizes = codebookSizes
        self.dim = dim
        let levels = codebookSizes.count
        encoderOffsets = (0..<levels).map { codebookSizes[..<$0].reduce(0, +) }
        decoderOffsets = (0..<levels).map { 1 + codebookSizes[..<$0].reduce(0, +) }
        let encoderRows = codebookSizes.reduce(0, +)
        encoderCodes = Embedding(name: "encoder.codes", count: encoderRows, dim: dim, scale: Float(dim).squareRoot(),
                                 initializer: .xavierNormal(fanIn: encoderRows, fanOut: dim), random: &random)
        positions = PositionalEmbedding(name: "encoder.positions", maxLength: config.maxLength, dim: dim,
                                        initializer: .xavierNormal(fanIn: config.maxLength, fanOut: dim), random: &random)
        encoderDropout = Dropout(rate: config.dropout, seed: random.next())
        let shape = TransformerBlock.Shape(dim: dim, heads: config.heads, hidden: config.feedForward, causal: true,
                                           activation: .gelu, dropoutRate: config.dropout)
        encoder = TransformerEncoder(name: "encoder", count: config.encoderBlocks, shape: shape, random: &random)
        let decoderRows = 1 + codebookSizes.dropLast().reduce(0, +)
        decoderTokens = Embedding(name: "decoder.tokens", count: decoderRows, dim: dim, scale: Float(dim).squareRoot(),
                                  initializer: .xavierNormal(fanIn: decoderRows, fanOut: dim), random: &random)
        decoderLevels = PositionalEmbedding(name: "decoder.levels", maxLength: levels, dim: dim,
                                            initializer: .xavierNormal(fanIn: levels, fanOut: dim), random: &random)
        decoderDropout = Dropout(rate: config.dropout, seed: random.next())
        decoderBlocks = (0..<config.decoderBlocks).map {
            TransformerDecoderBlock(name: "decoder.blocks.\($0)", shape: shape, random: &random)
        }
        decoderNorm = LayerNorm(name: "decoder.finalNorm", dim: dim)
        outputTables = config.tiedOutputTables ? [] : codebookSizes.enumerated().map { level, size in
            Parameter(name: "output.\(level)", shape: [size, dim],
                      value: Initializer.xavierNormal(fanIn: size, fanOut: dim).values(count: size * dim, random: &random),
                      decays: true)
        }
        nodeOutputs = config.nodeOutputRows
            ? Parameter(name: "output.nodes", shape: [trieNodes, dim], value: [Float](repeating: 0, count: trieNodes * dim),
                        decays: true)
            : nil
        decoderReadsLastState = config.decoderLastState
        itemPathNodes = config.encoderNodeRows ? trie?.pathNodes(of: codes) ?? [] : []
        textTower = itemText.map { Linear(name: "dense.textTower", inputSize: $0.dim, outputSize: dim, random: &random) }
        encoderTextTower = config.encoderItemText ? textTower : nil
        encoderTextFeatures = config.encoderItemText ? itemText : nil
        if config.encoderItemIDs {
            encoderItems = Embedding(name: "encoder.items", count: numItems, dim: dim, scale: Float(dim).squareRoot(),
                                     initializer: .xavierNormal(fanIn: numItems, fanOut: dim), random: &random)
        }
    }

    /// Code positions per item.
    var levels: Int { codebookSizes.count }

    /// Every parameter, encoder first.
    var parameters: [Parameter] {
        encoderCodes.parameters + positions.parameters + encoder.parameters + decoderTokens.parameters
            + decoderLevels.parameters + decoderBlocks.flatMap(\.parameters) + decoderNorm.parameters + outputTables
            + (nodeOutputs.map { [$0] } ?? []) + (textTower?.parameters ?? []) + (encoderItems?.parameters ?? [])
    }

    // MARK: Encoder

    /// Encoder states `[layout.rowCount, dim]` of the history positions `items`
    /// (`[layout.rowCount]`, packed by user), coded by `codes`.
    mutating func encode(items: [Int32], codes: SemanticIDCodes, layout: SequenceLayout, training: Bool) -> [Float] {
        let levels = levels
        let ids = codes.tuples(of: items).enumerated().map { index, code in Int32(encoderOffsets[index % levels]) + code }
        let perCode = encoderCodes.forward(ids)
        var summed = [Float](repeating: 0, count: layout.rowCount * dim)
        for row in 0..<layout.rowCount {
            for level in 0..<levels {
                let source = (row * levels + level) * dim
                for j in 0..<dim { summed[row * dim + j] += perCode[source + j] }
            }
        }
        if encoderItems != nil { VectorMath.add(encoderItems!.forward(items), into: &summed) }
        addPathNodeRows(items: items, into: &summed)
        if encoderTextTower != nil, let text = encoderTextFeatures {
            var features = [Float]()
            features.reserveCapacity(items.count * text.dim)
            for item in items { features.append(contentsOf: text.values[Int(item) * text.dim..<(Int(item) + 1) * text.dim]) }
            let scale = Float(dim).squareRoot()
            let represented = encoderTextTower!.forward(features)
            for index in summed.indices { summed[index] += scale * represented[index] }
        }
        let embedded = positions.forward(summed, layout: layout)
        return encoder.forward(encoderDropout.forward(embedded, training: training), layout: layout, training: training)
    }

    /// Accumulates the encoder's gradients from dLoss/dstates `[rows, dim]` of the last `encode`,
    /// whose history positions were `items`.
    mutating func encoderBackward(_ dStates: [Float], items: [Int32]) {
        let dEmbedded = encoderDropout.backward(encoder.backward(dStates))
        positions.backward(dEmbedded)
        encoderItems?.backward(dEmbedded)
        pathNodeRowsBackward(items: items, dEmbedded: dEmbedded)
        if encoderTextTower != nil {
            let scale = Float(dim).squareRoot()
            _ = encoderTextTower!.backward(dEmbedded.map { scale * $0 })
        }
        let levels = levels
        var dPerCode = [Float](repeating: 0, count: dEmbedded.count * levels)
        for row in 0..<dEmbedded.count / dim {
            for level in 0..<levels {
                let target = (row * levels + level) * dim
                for j in 0..<dim { dPerCode[target + j] = dEmbedded[row * dim + j] }
            }
        }
        encoderCodes.backward(dPerCode)
    }

    /// With `itemPathNodes`: adds `√dim · N[node]` for every node on each item's path to its row of
    /// `summed` (`[items.count, dim]`).
    private func addPathNodeRows(items: [Int32], into summed: inout [Float]) {
        guard let nodeOutputs, !itemPathNodes.isEmpty else { return }
        let (levels, dim, scale) = (levels, dim, Float(dim).squareRoot())
        nodeOutputs.value.withUnsafeBufferPointer { rows in
            summed.withUnsafeMutableBufferPointer { summed in
                for (row, item) in items.enumerated() {
                    let target = UnsafeMutableBufferPointer(rebasing: summed[row * dim..<(row + 1) * dim])
                    for level in 0..<levels {
                        let node = Int(itemPathNodes[Int(item) * levels + level])
                        SIMDKernels.axpy(scale, UnsafeBufferPointer(rebasing: rows[node * dim..<(node + 1) * dim]), target)
                    }
                }
            }
        }
    }

    /// Backward of `addPathNodeRows`: accumulates `√dim · dEmbedded` into the path nodes' gradients.
    private func pathNodeRowsBackward(items: [Int32], dEmbedded: [Float]) {
        guard let nodeOutputs, !itemPathNodes.isEmpty else { return }
        let (levels, dim, scale) = (levels, dim, Float(dim).squareRoot())
        dEmbedded.withUnsafeBufferPointer { dEmbedded in
            nodeOutputs.gradient.withUnsafeMutableBufferPointer { gradients in
                for (row, item) in items.enumerated() {
                    let source = UnsafeBufferPointer(rebasing: dEmbedded[row * dim..<(row + 1) * dim])
                    for level in 0..<levels {
                        let node = Int(itemPathNodes[Int(item) * levels + level])
                        SIMDKernels.axpy(scale, source, UnsafeMutableBufferPointer(rebasing: gradients[node * dim..<(node + 1) * dim]))
                    }
                }
            }
        }
    }

    // MARK: Decoder (teacher forcing)

    /// The decoder input tokens of each target item (`targetCodes` `[targets, L]`): `BOS`, then
    /// its first `L-1` codes, `[targets · L]` ids into `decoderTokens`.
    func decoderInputs(targetCodes: [Int32]) -> [Int32] {
        let levels = levels
        var tokens = [Int32](repeating: 0, count: targetCodes.count)
        for start in stride(from: 0, to: targetCodes.count, by: levels) {
            for level in 1..<levels {
                tokens[start + level] = Int32(decoderOffsets[level - 1]) + targetCodes[start + level - 1]
            }
        }
        return tokens
    }

    /// Decoder hidden states `[tokens.count, dim]` (after the final LayerNorm) for teacher-forced
    /// `tokens` (`decoderInputs`, `L` per target).
    ///
    /// - Parameters:
    ///   - crossLayout: the decoder rows grouped by user (user `b`'s targets contiguous).
    ///   - memory: encoder states `[memoryLayout.rowCount, dim]`.
    ///   - keyLimits: `[tokens.count]`, how many of its user's encoder states each row reads.
    mutating func decode(tokens: [Int32], crossLayout: SequenceLayout, memory: [Float], memoryLayout: SequenceLayout,
                         keyLimits: [Int32], training: Bool) -> [Float] {
        let layout = SequenceLayout.packed(lengths: Array(repeating: levels, count: tokens.count / levels))
        var x = decoderLevels.forward(decoderTokens.forward(tokens), layout: layout)
        if decoderReadsLastState {
            lastStateRows = []
            lastStateRows.reserveCapacity(tokens.count)
            for (user, (start, length)) in zip(crossLayout.starts, crossLayout.lengths).enumerated() {
                for row in start..<start + length {
                    lastStateRows.append(keyLimits[row] > 0 ? memoryLayout.starts[user] + Int(keyLimits[row]) - 1 : -1)
                }
            }
            memory.withUnsafeBufferPointer { memory in
                x.withUnsafeMutableBufferPointer { x in
                    for (row, source) in lastStateRows.enumerated() where source >= 0 {
                        SIMDKernels.axpy(1, UnsafeBufferPointer(rebasing: memory[source * dim..<(source + 1) * dim]),
                                         UnsafeMutableBufferPointer(rebasing: x[row * dim..<(row + 1) * dim]))
                    }
                }
            }
        }
        x = decoderDropout.forward(x, training: training)
        for b in decoderBlocks.indices {
            x = decoderBlocks[b].forward(x, layout: layout, crossLayout: crossLayout, memory: memory,
                                         memoryLayout: memoryLayout, keyLimits: keyLimits, training: training)
        }
        return decoderNorm.forward(x)
    }

    /// Accumulates the decoder's gradients from dLoss/dhidden `[rows, dim]`; returns dLoss/dmemory.
    mutating func decoderBackward(_ dHidden: [Float], memoryCount: Int) -> [Float] {
        var dx = decoderNorm.backward(dHidden)
        var dMemory = [Float](repeating: 0, count: memoryCount)
        for b in decoderBlocks.indices.reversed() {
            let (dInput, dBlockMemory) = decoderBlocks[b].backward(dx)
            VectorMath.add(dBlockMemory, into: &dMemory)
            dx = dInput
        }
        let dTokens = decoderDropout.backward(dx)
        decoderLevels.backward(dTokens)
        decoderTokens.backward(dTokens)
        if decoderReadsLastState {
            dTokens.withUnsafeBufferPointer { dTokens in
                dMemory.withUnsafeMutableBufferPointer { dMemory in
                    for (row, source) in lastStateRows.enumerated() where source >= 0 {
                        SIMDKernels.axpy(1, UnsafeBufferPointer(rebasing: dTokens[row * dim..<(row + 1) * dim]),
                                         UnsafeMutableBufferPointer(rebasing: dMemory[source * dim..<(source + 1) * dim]))
                    }
                }
            }
        }
        return dMemory
    }

    /// The rows that score level `level`'s codes: rows `firstRow ..< firstRow + V_l` of `parameter`
    /// (the level's own output table, or with `tiedOutputTables` the encoder's embeddings of the
    /// level's codes, unscaled).
    func outputTable(_ level: Int) -> (parameter: Parameter, firstRow: Int) {
        outputTables.isEmpty ? (encoderCodes.table, encoderOffsets[level]) : (outputTables[level], 0)
    }

    // MARK: Trie-node output rows

    /// With `nodeOutputs`: adds `h · N[child]` to the logit of each child of trie node `parent`, at
    /// the child's code; `hidden` `[dim]` is one decoder row, `logits` its level's `[V_l]`.
    func addNodeLogits(_ hidden: UnsafePointer<Float>, parent: Int, trie: SemanticIDTrie,
                       into logits: UnsafeMutablePointer<Float>) {
        guard let nodeOutputs else { return }
        let h = UnsafeBufferPointer(start: hidden, count: dim)
        nodeOutputs.value.withUnsafeBufferPointer { rows in
            for child in trie.children(of: parent) {
                logits[Int(trie.code[child])] += SIMDKernels.dot(h, UnsafeBufferPointer(rebasing: rows[child * dim..<(child + 1) * dim]))
            }
        }
    }

    /// Backward of `addNodeLogits` for one row: from dLoss/dlogits `[V_l]`, accumulates the
    /// children's node-row gradients and adds `Σ dz · N[child]` into `dHidden` `[dim]`.
    func nodeLogitsBackward(_ hidden: UnsafePointer<Float>, parent: Int, trie: SemanticIDTrie,
                            dLogits: UnsafePointer<Float>, dHidden: UnsafeMutablePointer<Float>) {
        guard let nodeOutputs else { return }
        let h = UnsafeBufferPointer(start: hidden, count: dim)
        let dh = UnsafeMutableBufferPointer(start: dHidden, count: dim)
        nodeOutputs.value.withUnsafeBufferPointer { rows in
            nodeOutputs.gradient.withUnsafeMutableBufferPointer { gradients in
                for child in trie.children(of: parent) {
                    let dz = dLogits[Int(trie.code[child])]
                    guard dz != 0 else { continue }
                    SIMDKernels.axpy(dz, UnsafeBufferPointer(rebasing: rows[child * dim..<(child + 1) * dim]), dh)
                    SIMDKernels.axpy(dz, h, UnsafeMutableBufferPointer(rebasing: gradients[child * dim..<(child + 1) * dim]))
                }
            }
        }
    }
}
