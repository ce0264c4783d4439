import Dispatch
import NeuralNet

/// Sentence embeddings from a BERT encoder the sentence-transformers way (Reimers & Gurevych 2019):
/// run every layer, mean-pool each sequence's last hidden states, L2-normalise.
///
/// Many sequences are encoded in packed batches: sorted by length (so a batch holds sequences of
/// similar length and attention tiles are even), cut into batches of about `tokensPerBatch`
/// tokens (large enough that every linear layer is one big `sgemm`), and returned in input order.
/// The result does not depend on the order of the input.
public struct SentenceEncoder {
    /// What one `encode` call did.
    public struct Statistics: Sendable, Equatable {
        /// Sequences encoded.
        public var items: Int
        /// Tokens over all sequences.
        public var tokens: Int
        /// Packed batches run.
        public var batches: Int
        /// Wall-clock seconds of the call.
        public var seconds: Double
        /// Floating-point operations of the encoder, counted analytically (`SentenceEncoder.flops`).
        public var flops: Double

        /// Achieved `flops / seconds / 1e9`.
        public var gflopsPerSecond: Double { seconds > 0 ? flops / seconds / 1e9 : 0 }
        /// Sequences per second.
        public var itemsPerSecond: Double { seconds > 0 ? Double(items) / seconds : 0 }
        /// Tokens per second.
        public var tokensPerSecond: Double { seconds > 0 ? Double(tokens) / seconds : 0 }
    }

    /// The encoder (run with dropout off).
    public var model: BertModel
    /// Target tokens per packed batch (a batch holds at least one sequence).
    public var tokensPerBatch: Int
    private var pooling: MeanPooling
    private var normalization: L2Normalization

    /// An encoder over `model`, batching about `tokensPerBatch` tokens.
    public init(model: BertModel, tokensPerBatch: Int = 4096) {
        precondition(tokensPerBatch > 0, "tokensPerBatch must be positive")
        self.model = model
        self.tokensPerBatch = tokensPerBatch
        pooling = MeanPooling(dim: model.dim)
        normalization = L2Normalization(dim: model.dim)
    }

    /// Unit-norm embeddings `[sequences.count, dim]` (row `i` for `sequences[i]`) and what the call
    /// did; `progress(itemsDone)` is called after each batch.
    ///
    /// - Parameter sequences: token ids with `[CLS]` and `[SEP]`, each non-empty and at most
    ///   `maxPositionEmbeddings` long.
    public mutating func encode(_ sequences: [[Int32]], progress: ((_ itemsDone: Int) -> Void)? = nil)
        -> (embeddings: [Float], statistics: Statistics) {
        let start = DispatchTime.now().uptimeNanoseconds
        let dim = model.dim
        let batches = Self.batches(lengths: sequences.map(\.count), tokensPerBatch: tokensPerBatch)
        var embeddings = [Float](repeating: 0, count: sequences.count * dim)
        var done = 0
        for batch in batches {
            let (hidden, layout) = model.encode(batch.map { sequences[$0] })
            let pooled = normalization.forward(pooling.forward(hidden, layout: layout))
            embeddings.withUnsafeMutableBufferPointer { embeddings in
                for (row, item) in batch.enumerated() {
                    for j in 0..<dim { embeddings[item * dim + j] = pooled[row * dim + j] }
                }
            }
            done += batch.count
            progress?(done)
        }
        let lengths = sequences.map(\.count)
        let statistics = Statistics(items: sequences.count, tokens: lengths.reduce(0, +), batches: batches.count,
                                    seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9,
                                    flops: Self.flops(lengths: lengths, config: model.config, layers: model.layers.count))
        return (embeddings, statistics)
    }

    /// Indices of `lengths` sorted by (length, index) and cut into consecutive batches of at most
    /// `tokensPerBatch` tokens (a longer sequence gets a batch of its own).
    public static func batches(lengths: [Int], tokensPerBatch: Int) -> [[Int]] {
        let order = lengths.indices.sorted { (lengths[$0], $0) < (lengths[$1], $1) }
        var batches: [[Int]] = []
        var current: [Int] = []
        var tokens = 0
        for index in order {
            if !current.isEmpty && tokens + lengths[index] > tokensPerBatch {
                batches.append(current)
                current = []
                tokens = 0
            }
            current.append(index)
            tokens += lengths[index]
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }

    /// Floating-point operations of `layers` encoder layers over sequences of `lengths`: the
    /// linear layers, `2 · rows · in · out` each (Q, K, V, output, and the two feed-forward
    /// products), plus attention's two products `QKᵀ` and `PV`, `4 · L² · dim` per sequence of
    /// length `L`. Embeddings, LayerNorms, softmax and GELU are not counted.
    public static func flops(lengths: [Int], config: BertConfig, layers: Int) -> Double {
        let dim = Double(config.hiddenSize)
        let linearPerToken = 2 * (dim * 3 * dim + dim * dim + 2 * dim * Double(config.intermediateSize))
        let perLayer = lengths.reduce(0.0) { total, length in
            let l = Double(length)
            return total + linearPerToken * l + 4 * l * l * dim
        }
        return perLayer * Double(layers)
    }
}
