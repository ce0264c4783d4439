import ItemLLM
import SeededRandom

/// The warm items' text features for one full-softmax step while the item LLM is fine-tuned, at a
/// fraction of the exact cost (HLLM's fast path, `HLLM.Config.itemLLMRefreshSteps` and
/// `itemLLMLiveItems`):
///
/// - **Live items.** The step's unique input and target items (at most `liveLimit` of them, a
///   uniform sample when there are more) run through the trainable item-LLM layers in training
///   mode. Their features are the live ones everywhere the step uses them, the input gather and the
///   softmax alike, and `backward` passes their gradient on to the item LLM.
/// - **Cached items.** Every other warm item's row is a cached feature: the trainable layers in
///   inference mode (no dropout, no gradient) over every warm item, recomputed at the first step
///   after `invalidate` and then every `refreshSteps` steps. A cached row is a constant: the item
///   tower and the user model still get their gradient through it, the item LLM none.
///
/// So the loss is always the exact one of a model whose stale rows are constants, and its gradient
/// is that loss's exact gradient. With `refreshSteps` 1 and no dropout the forward values equal the
/// exact path's (every row at the current weights), and the item LLM's gradient is the exact
/// path's with only the live items' feature gradients kept.
///
/// Shapes: features and their gradient `[warmItems.count, featureDim]`, row `r` for `warmItems[r]`.
struct CachedItemFeatures {
    /// Warm item ids, ascending: the rows of every table here.
    let warmItems: [Int32]
    /// Steps between refreshes of the cache (at least 1).
    let refreshSteps: Int
    /// Most live items per step; 0 for no limit.
    let liveLimit: Int
    /// `[warm, featureDim]`, the features at the last refresh.
    private var cache: [Float] = []
    /// Steps since the last refresh; nil when the next step must refresh.
    private var stepsSinceRefresh: Int?
    /// Rows (into `warmItems`) of the last `forward`'s live items, ascending.
    private var liveRows: [Int32] = []
    /// Scratch `[warm]`: whether a row is one of the step's items.
    private var isStepRow: [Bool]

    /// A cache over `warmItems` (ascending), refreshed every `refreshSteps` steps, with at most
    /// `liveLimit` live items per step (0: all of the step's items).
    init(warmItems: [Int32], refreshSteps: Int, liveLimit: Int) {
        precondition(refreshSteps > 0 && liveLimit >= 0, "refreshSteps must be positive, liveLimit non-negative")
        self.warmItems = warmItems
        self.refreshSteps = refreshSteps
        self.liveLimit = liveLimit
        isStepRow = [Bool](repeating: false, count: warmItems.count)
    }

    /// Makes the next `forward` refresh the cache (at every epoch start, so an epoch's steps depend
    /// only on the weights it starts from).
    mutating func invalidate() {
        stepsSinceRefresh = nil
    }

    /// Every warm item's features `[warm, featureDim]` for a step whose input and target items are
    /// the warm rows `stepRows` (repeats allowed): the cache (refreshed first when due) with the live
    /// items' rows replaced by a training `forward` of `features` over them. The live items, when
    /// the step has more than `liveLimit`, are drawn from `random`.
    mutating func forward(stepRows: [Int32], features: inout any ItemTextFeatures, random: inout SplitMix64) -> [Float] {
        if stepsSinceRefresh.map({ $0 >= refreshSteps }) ?? true {
            cache = features.forward(items: warmItems, training: false)
            stepsSinceRefresh = 0
        }
        stepsSinceRefresh! += 1
        for row in stepRows { isStepRow[Int(row)] = true }
        var rows: [Int32] = []
        for row in isStepRow.indices where isStepRow[row] {
            rows.append(Int32(row))
            isStepRow[row] = false
        }
        if liveLimit > 0 && rows.count > liveLimit {
            rows = random.distinctIndices(count: liveLimit, below: rows.count).sorted().map { rows[$0] }
        }
        liveRows = rows
        let live = features.forward(items: rows.map { warmItems[Int($0)] }, training: true)
        let dim = features.dim
        var table = cache
        table.withUnsafeMutableBufferPointer { table in
            live.withUnsafeBufferPointer { live in
                for (r, row) in rows.enumerated() {
                    (table.baseAddress! + Int(row) * dim).update(from: live.baseAddress! + r * dim, count: dim)
                }
            }
        }
        return table
    }

    /// Passes the live rows of dLoss/dfeatures `[warm, featureDim]` (of the last `forward`'s
    /// output) to `features.backward`, which accumulates the item LLM's gradients; the cached rows'
    /// gradient goes nowhere.
    func backward(_ dFeatures: [Float], features: inout any ItemTextFeatures) {
        features.backward(RowGather.gather(dFeatures, dim: features.dim, rows: liveRows))
    }
}
