import SeededRandom

/// A stack of `TransformerBlock`s followed by a final LayerNorm (needed with pre-LN blocks, whose
/// residual stream is never normalised otherwise).
///
/// Shapes: input and output `[layout.rowCount, dim]`.
public struct TransformerEncoder {
    /// The blocks, applied in order.
    public var blocks: [TransformerBlock]
    /// LayerNorm on the last block's output.
    public var finalNorm: LayerNorm

    /// `count` blocks named `name.blocks.i` of `shape`, and `name.finalNorm`.
    public init(name: String, count: Int, shape: TransformerBlock.Shape, random: inout SplitMix64) {
        blocks = (0..<count).map { TransformerBlock(name: "\(name).blocks.\($0)", shape: shape, random: &random) }
        finalNorm = LayerNorm(name: name + ".finalNorm", dim: shape.dim, epsilon: shape.layerNormEpsilon)
    }

    /// Every parameter, block by block, then the final norm's.
    public var parameters: [Parameter] { blocks.flatMap(\.parameters) + finalNorm.parameters }

    /// `[rowCount, dim] -> [rowCount, dim]`.
    public mutating func forward(_ x: [Float], layout: SequenceLayout, training: Bool) -> [Float] {
        var h = x
        for i in blocks.indices { h = blocks[i].forward(h, layout: layout, training: training) }
        return finalNorm.forward(h)
    }

    /// dLoss/dx from dLoss/dy, accumulating every block's gradients.
    public mutating func backward(_ dy: [Float]) -> [Float] {
        var d = finalNorm.backward(dy)
        for i in blocks.indices.reversed() { d = blocks[i].backward(d) }
        return d
    }
}
