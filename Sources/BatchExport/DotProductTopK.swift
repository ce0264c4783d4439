/// Top-K of dot-product scores that never writes the scores to memory: a GEMM fused with the
/// selection. A 6 x 16 micro-kernel accumulates six users' scores against one panel of sixteen
/// items (`ItemPanels`) in registers and compares them with each user's threshold
/// (`ThresholdTopK.filterThreshold`); only a panel holding a candidate goes to the selections.
/// Panels are swept in chunks that stay in a core's L2 cache while every user of the block passes
/// over them.
///
/// Every score is `Σ_d user[d] * item[d]` in increasing `d`, each product and each sum rounded to
/// Float (no fused multiply-add), which is `ReferenceKernels.dot` whatever the vector width the
/// kernel is compiled for: a user's written scores do not depend on its block, its shard or the CPU.
/// The ranking order is `ThresholdTopK`'s (higher first, ties to the lower index, NaN last).
///
/// Built for x86-64 with AVX2 (`make` passes `-target-cpu` when the build machine has it), the
/// kernel alone runs at about 80% of a core's sgemm rate; built for baseline x86-64 (SSE2), at
/// about 40% of that.
public struct DotProductTopK: Sendable {
    /// Users whose scores one micro-kernel call accumulates (twelve AVX accumulators).
    static let rowsPerGroup = 6
    /// Bytes of item vectors per chunk: with a block's selection heaps (335 users x 800 bytes at
    /// K = 100) and user vectors, within the 512 KiB L2 cache of a Zen 3 core.
    static let chunkBytes = 128 << 10

    /// The packed item vectors.
    public let panels: ItemPanels
    /// `[panelCount * width]`: items no user gets (exclude list, outside the allow list) and the
    /// zero padding after the last item.
    private let skipped: [Bool]

    /// A kernel over `panels`; `globallySkipped` is `[panels.numItems]`.
    public init(panels: ItemPanels, globallySkipped: [Bool]) {
        precondition(globallySkipped.count == panels.numItems, "one skip flag per item")
        self.panels = panels
        skipped = globallySkipped + [Bool](repeating: true, count: panels.panelCount * ItemPanels.width - panels.numItems)
    }

    /// Offers every item's score to each user's selection, in increasing item order.
    ///
    /// - Parameters:
    ///   - vectors: `[rows, dim]` user vectors, row-major.
    ///   - sortedHistories: `[rows][len]` ascending item indices never given to that user (empty
    ///     arrays when histories are not excluded).
    ///   - selectors: `[rows]` selections, started with their `k`; they receive the scores.
    public func select(vectors: [Float], rows: Int, sortedHistories: [[Int32]], into selectors: inout [ThresholdTopK]) {
        let (dim, groupRows) = (panels.dim, Self.rowsPerGroup)
        precondition(vectors.count == rows * dim && sortedHistories.count == rows && selectors.count == rows,
                     "one vector, history and selection per user")
        guard rows > 0, panels.panelCount > 0 else { return }
        let paddedRows = (rows + groupRows - 1) / groupRows * groupRows
        let users = vectors + [Float](repeating: 0, count: (paddedRows - rows) * dim)
        let panelsPerChunk = max(1, Self.chunkBytes / (dim * ItemPanels.width * MemoryLayout<Float>.stride))
        var offers = PanelOffers(rows: rows, skipped: skipped)
        users.withUnsafeBufferPointer { users in
            panels.values.withUnsafeBufferPointer { items in
                selectors.withUnsafeMutableBufferPointer { selectors in
                    for chunk in stride(from: 0, to: panels.panelCount, by: panelsPerChunk) {
                        for firstRow in stride(from: 0, to: rows, by: groupRows) {
                            sweep(panels: chunk..<min(panels.panelCount, chunk + panelsPerChunk), items: items.baseAddress!,
                                  users: users.baseAddress! + firstRow * dim, firstRow: firstRow,
                                  sortedHistories: sortedHistories, offers: &offers, selectors: selectors)
                        }
                    }
                }
            }
        }
    }

    /// The micro-kernel over `panels` for the six users `firstRow...` (vectors at `users`, `[6, dim]`).
    private func sweep(panels range: Range<Int>, items: UnsafePointer<Float>, users u0: UnsafePointer<Float>, firstRow: Int,
                       sortedHistories: [[Int32]], offers: inout PanelOffers, selectors: UnsafeMutableBufferPointer<ThresholdTopK>) {
        let dim = panels.dim
        let (u1, u2, u3, u4, u5) = (u0 + dim, u0 + 2 * dim, u0 + 3 * dim, u0 + 4 * dim, u0 + 5 * dim)
        var bounds = GroupThresholds(selectors, firstRow: firstRow)
        for panel in range {
            var b = UnsafeRawPointer(items + panel * dim * ItemPanels.width)
            var a0 = Lanes(), a1 = Lanes(), a2 = Lanes(), a3 = Lanes(), a4 = Lanes(), a5 = Lanes()
            var d = 0
            while d < dim {
                let v = b.loadUnaligned(as: Lanes.self)
                a0 = a0 + v * u0[d]
                a1 = a1 + v * u1[d]
                a2 = a2 + v * u2[d]
                a3 = a3 + v * u3[d]
                a4 = a4 + v * u4[d]
                a5 = a5 + v * u5[d]
                b += MemoryLayout<Lanes>.stride
                d &+= 1
            }
            let above = (a0 .> bounds.t0) .| (a1 .> bounds.t1) .| (a2 .> bounds.t2)
                .| (a3 .> bounds.t3) .| (a4 .> bounds.t4) .| (a5 .> bounds.t5)
            if bounds.offerEveryPanel || any(above) {
                offers.offer(a0, a1, a2, a3, a4, a5, panel: panel, firstRow: firstRow, sortedHistories: sortedHistories,
                             to: selectors)
                bounds = GroupThresholds(selectors, firstRow: firstRow)
            }
        }
    }

    /// Sixteen items' scores of one user.
    typealias Lanes = SIMD16<Float>
}

/// The six thresholds of a group of users, broadcast. A user beyond the last row gets +inf (never
/// offered); a user whose selection has no threshold yet gets -inf and makes every panel be offered.
private struct GroupThresholds {
    var t0, t1, t2, t3, t4, t5: DotProductTopK.Lanes
    var offerEveryPanel = false

    init(_ selectors: UnsafeMutableBufferPointer<ThresholdTopK>, firstRow: Int) {
        var offerEveryPanel = false
        func broadcast(_ offset: Int) -> DotProductTopK.Lanes {
            guard firstRow + offset < selectors.count else { return .init(repeating: .infinity) }
            guard let threshold = selectors[firstRow + offset].filterThreshold else {
                offerEveryPanel = true
                return .init(repeating: -.infinity)
            }
            return .init(repeating: threshold)
        }
        (t0, t1, t2, t3, t4, t5) = (broadcast(0), broadcast(1), broadcast(2), broadcast(3), broadcast(4), broadcast(5))
        self.offerEveryPanel = offerEveryPanel
    }
}

/// Hands the scores of one panel to the selections of the users that may keep one of them, skipping
/// the items no user gets and each user's history (found by a cursor that only moves forward, because
/// panels come in increasing order).
private struct PanelOffers {
    private let skipped: [Bool]
    /// `[rows]`: the first history entry of each user not yet behind the items offered.
    private var cursors: [Int]

    /// Bit `lane` in lane `lane`: summed over a mask's set lanes, the mask as an integer.
    private static let laneBits = SIMD16<UInt32>((0..<16).map { 1 << $0 })

    init(rows: Int, skipped: [Bool]) {
        self.skipped = skipped
        cursors = [Int](repeating: 0, count: rows)
    }

    /// Offers the scores `a0`...`a5` of users `firstRow`... against `panel`.
    @inline(__always)
    mutating func offer(_ a0: DotProductTopK.Lanes, _ a1: DotProductTopK.Lanes, _ a2: DotProductTopK.Lanes,
                        _ a3: DotProductTopK.Lanes, _ a4: DotProductTopK.Lanes, _ a5: DotProductTopK.Lanes,
                        panel: Int, firstRow: Int, sortedHistories: [[Int32]],
                        to selectors: UnsafeMutableBufferPointer<ThresholdTopK>) {
        offer(a0, row: firstRow, panel: panel, history: sortedHistories, to: selectors)
        offer(a1, row: firstRow + 1, panel: panel, history: sortedHistories, to: selectors)
        offer(a2, row: firstRow + 2, panel: panel, history: sortedHistories, to: selectors)
        offer(a3, row: firstRow + 3, panel: panel, history: sortedHistories, to: selectors)
        offer(a4, row: firstRow + 4, panel: panel, history: sortedHistories, to: selectors)
        offer(a5, row: firstRow + 5, panel: panel, history: sortedHistories, to: selectors)
    }

    /// Offers user `row`'s scores if one is above its threshold or it has none yet (the common case,
    /// no candidate, stays inline in the kernel loop).
    @inline(__always)
    private mutating func offer(_ lanes: DotProductTopK.Lanes, row: Int, panel: Int, history sortedHistories: [[Int32]],
                                to selectors: UnsafeMutableBufferPointer<ThresholdTopK>) {
        guard row < selectors.count else { return }
        if let threshold = selectors[row].filterThreshold, !any(lanes .> threshold) { return }
        offerCandidates(lanes, row: row, panel: panel, history: sortedHistories[row], to: selectors)
    }

    /// Offers each of user `row`'s scores above its threshold (every one when it has none yet) that
    /// is not skipped and not in its (ascending) `history`.
    @inline(never)
    private mutating func offerCandidates(_ lanes: DotProductTopK.Lanes, row: Int, panel: Int, history: [Int32],
                                          to selectors: UnsafeMutableBufferPointer<ThresholdTopK>) {
        let above = selectors[row].filterThreshold.map { lanes .> $0 } ?? SIMDMask(repeating: true)
        var candidates = Self.laneBits.replacing(with: 0, where: .!above).wrappedSum()
        let firstItem = panel * ItemPanels.width
        var cursor = cursors[row]
        defer { cursors[row] = cursor }
        while candidates != 0 {
            let lane = candidates.trailingZeroBitCount
            candidates &= candidates - 1
            let item = firstItem + lane
            guard !skipped[item] else { continue }
            while cursor < history.count && Int(history[cursor]) < item { cursor += 1 }
            if cursor < history.count && Int(history[cursor]) == item { continue }
            selectors[row].offer(lanes[lane], index: Int32(item))
        }
    }
}
