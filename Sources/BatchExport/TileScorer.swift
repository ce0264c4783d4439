/// A scorer that can score a block of users against a slice of the catalogue (factor and embedding
/// models: a GEMM against a slice of the item matrix). The export then scores and ranks the catalogue
/// tile by tile, so the scores are consumed while they sit in the core's cache instead of going
/// through main memory twice (written by the GEMM, read back by the top-K).
public protocol TileScorer {
    /// The users' vectors, `[users.count, dim]`, computed once per block.
    func gatheredVectors(_ users: [Int32]) -> [Float]
    /// Scores of `rows` gathered vectors against items `items`, into row-major `[rows, items.count]`.
    func scoreTile(of vectors: [Float], rows: Int, items: Range<Int>, into scores: UnsafeMutableBufferPointer<Float>)
    /// The score of gathered vector `row` for `item`, summed in a fixed order: the written score,
    /// the same whatever the row's position in its block (a GEMM's rounding depends on it, so a
    /// sharded export would otherwise differ from an unsharded one in the last digit).
    func exactScore(of vectors: [Float], row: Int, item: Int32) -> Float
}
