import ItemLLM
import LinearAlgebra
import NeuralNet
import SeededRandom

/// HLLM's trainable layers on top of the item text features (Chen et al. 2024, "HLLM: Enhancing
/// Sequential Recommendations via Hierarchical Large Language Models for Item and User Modeling"):
///
/// - the **item tower** maps an item's text feature `f_i` `[featureDim]` to its representation
///   `r_i = W f_i + b (+ E_i)` `[dim]`, the optional `E` being a learned item-ID embedding
///   (`fuseItemID`); the same `r` is the user model's input and the output layer (shared towers);
/// - the **user model** is SASRec's causal pre-LN transformer over `√dim · r_{item_t} + P_t`
///   (dropout on the sum, final LayerNorm), whose hidden state `h_t` scores item `j` as `h_t · r_j`.
///
/// Shapes: features `[items, featureDim]`, representations `[items, dim]`, user-model inputs and
/// hidden states `[layout.rowCount, dim]`. Copying the struct copies its activation caches but
/// shares the parameters, so each scoring thread runs its own copy.
struct HLLMNetwork {
    /// Model width.
    let dim: Int
    /// `featureDim -> dim`, the text part of the item tower.
    var tower: Linear
    /// `[numItems, dim]` item-ID embeddings added to the tower's output, when fused.
    var itemIDs: Embedding?
    /// SASRec's positions, dropout and causal transformer.
    var userModel: SequentialUserModel
    /// Multiplier of the representations fed to the user model (√dim, as SASRec scales its item
    /// embeddings); the output layer uses `r` unscaled.
    let inputScale: Float

    /// A freshly initialised network from `random` (in this order: tower, ID table, positions,
    /// dropout seed, encoder).
    init(numItems: Int, featureDim: Int, config: HLLM.Config, random: inout SplitMix64) {
        dim = config.dim
        inputScale = Float(config.dim).squareRoot()
        tower = Linear(name: "itemTower", inputSize: featureDim, outputSize: config.dim, random: &random)
        itemIDs = config.fuseItemID
            ? Embedding(name: "itemIDs", count: numItems, dim: config.dim,
                        initializer: .xavierNormal(fanIn: numItems, fanOut: config.dim), random: &random)
            : nil
        userModel = SequentialUserModel(dim: config.dim, heads: config.heads, blocks: config.blocks,
                                        maxLength: config.maxLength, dropout: config.dropout, random: &random)
    }

    /// Every parameter: the item tower's first.
    var parameters: [Parameter] {
        tower.parameters + (itemIDs?.parameters ?? []) + userModel.parameters
    }

    /// Item representations `[items.count, dim]` from their features `[items.count, featureDim]`.
    mutating func represent(features: [Float], items: [Int32]) -> [Float] {
        var representations = tower.forward(features)
        if itemIDs != nil { VectorMath.add(itemIDs!.forward(items), into: &representations) }
        return representations
    }

    /// Representations of every catalogue item `[numItems, dim]` with the current weights (inference
    /// mode), cold items included; features are computed in chunks of `chunk` items. What the model
    /// scores with, after `fit` and after restoring a saved state alike.
    func allRepresentations(features: any ItemTextFeatures, numItems: Int, chunk: Int = 4096) -> [Float] {
        var network = self
        var features = features
        var output: [Float] = []
        output.reserveCapacity(numItems * dim)
        for start in stride(from: 0, to: numItems, by: chunk) {
            let items = (start..<min(start + chunk, numItems)).map { Int32($0) }
            output.append(contentsOf: network.represent(features: features.forward(items: items, training: false),
                                                        items: items))
        }
        return output
    }

    /// dLoss/dfeatures `[items, featureDim]` from dLoss/drepresentations `[items, dim]` of the last
    /// `represent`, accumulating the tower's and the ID table's gradients.
    mutating func representBackward(_ dRepresentations: [Float]) -> [Float] {
        itemIDs?.backward(dRepresentations)
        return tower.backward(dRepresentations)
    }

    /// Hidden states `[layout.rowCount, dim]` from the representations of the input items
    /// `[layout.rowCount, dim]` (packed layout).
    mutating func encode(_ inputs: [Float], layout: SequenceLayout, training: Bool) -> [Float] {
        var scaled = inputs
        let scale = inputScale
        scaled.withUnsafeMutableBufferPointer { buffer in
            for i in buffer.indices { buffer[i] *= scale }
        }
        return userModel.forward(scaled, layout: layout, training: training)
    }

    /// dLoss/dinputs `[rows, dim]` from dLoss/dhidden `[rows, dim]` of the last `encode`,
    /// accumulating the user model's gradients.
    mutating func encodeBackward(_ dHidden: [Float]) -> [Float] {
        var dInputs = userModel.backward(dHidden)
        let scale = inputScale
        dInputs.withUnsafeMutableBufferPointer { buffer in
            for i in buffer.indices { buffer[i] *= scale }
        }
        return dInputs
    }
}

/// Row gathers and scatters between `[count, dim]` tables and `[rows, dim]` activations.
enum RowGather {
    /// `[indices.count, dim]`: row `indices[r]` of `table` for each `r`.
    static func gather(_ table: [Float], dim: Int, rows indices: [Int32]) -> [Float] {
        var output = [Float](repeating: 0, count: indices.count * dim)
        table.withUnsafeBufferPointer { table in
            output.withUnsafeMutableBufferPointer { output in
                for (r, index) in indices.enumerated() {
                    (output.baseAddress! + r * dim).update(from: table.baseAddress! + Int(index) * dim, count: dim)
                }
            }
        }
        return output
    }

    /// Adds row `r` of `source` `[indices.count, dim]` to row `indices[r]` of `table`, in row order.
    static func scatterAdd(_ source: [Float], dim: Int, rows indices: [Int32], into table: inout [Float]) {
        source.withUnsafeBufferPointer { source in
            table.withUnsafeMutableBufferPointer { table in
                for (r, index) in indices.enumerated() {
                    SIMDKernels.axpy(1, UnsafeBufferPointer(rebasing: source[r * dim..<(r + 1) * dim]),
                                     UnsafeMutableBufferPointer(rebasing: table[Int(index) * dim..<(Int(index) + 1) * dim]))
                }
            }
        }
    }
}
