import Foundation
import NeuralNet

/// The architecture of a BERT encoder (Devlin et al. 2019) as Hugging Face's `config.json` states
/// it: the fields this implementation reads, under their JSON names.
public struct BertConfig: Decodable, Equatable, Sendable {
    /// Width of every hidden state, `dim` (384 for all-MiniLM-L6-v2).
    public var hiddenSize: Int
    /// Encoder layers (6).
    public var layerCount: Int
    /// Attention heads per layer (12); `hiddenSize` must be a multiple.
    public var headCount: Int
    /// Hidden width of the feed-forward network (1536).
    public var intermediateSize: Int
    /// WordPiece vocabulary size, rows of the word-embedding table (30522).
    public var vocabularySize: Int
    /// Rows of the position-embedding table, the longest input (512).
    public var maxPositionEmbeddings: Int
    /// Rows of the token-type (segment) embedding table (2; only type 0 is used).
    public var typeVocabularySize: Int
    /// LayerNorm epsilon (1e-12).
    public var layerNormEpsilon: Float
    /// Dropout on the residual branches in training (0.1).
    public var hiddenDropoutProbability: Float
    /// The feed-forward nonlinearity's name (`"gelu"`: the exact erf GELU).
    public var hiddenActivation: String

    enum CodingKeys: String, CodingKey {
        case hiddenSize = "hidden_size"
        case layerCount = "num_hidden_layers"
        case headCount = "num_attention_heads"
        case intermediateSize = "intermediate_size"
        case vocabularySize = "vocab_size"
        case maxPositionEmbeddings = "max_position_embeddings"
        case typeVocabularySize = "type_vocab_size"
        case layerNormEpsilon = "layer_norm_eps"
        case hiddenDropoutProbability = "hidden_dropout_prob"
        case hiddenActivation = "hidden_act"
    }

    /// A configuration given field by field (tests build small random encoders with it).
    public init(hiddenSize: Int, layerCount: Int, headCount: Int, intermediateSize: Int, vocabularySize: Int,
                maxPositionEmbeddings: Int = 512, typeVocabularySize: Int = 2, layerNormEpsilon: Float = 1e-12,
                hiddenDropoutProbability: Float = 0.1, hiddenActivation: String = "gelu") {
        self.hiddenSize = hiddenSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.intermediateSize = intermediateSize
        self.vocabularySize = vocabularySize
        self.maxPositionEmbeddings = maxPositionEmbeddings
        self.typeVocabularySize = typeVocabularySize
        self.layerNormEpsilon = layerNormEpsilon
        self.hiddenDropoutProbability = hiddenDropoutProbability
        self.hiddenActivation = hiddenActivation
    }

    /// Decodes `config.json`; optional fields take BERT-base's defaults.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        hiddenSize = try container.decode(Int.self, forKey: .hiddenSize)
        layerCount = try container.decode(Int.self, forKey: .layerCount)
        headCount = try container.decode(Int.self, forKey: .headCount)
        intermediateSize = try container.decode(Int.self, forKey: .intermediateSize)
        vocabularySize = try container.decode(Int.self, forKey: .vocabularySize)
        maxPositionEmbeddings = try container.decodeIfPresent(Int.self, forKey: .maxPositionEmbeddings) ?? 512
        typeVocabularySize = try container.decodeIfPresent(Int.self, forKey: .typeVocabularySize) ?? 2
        layerNormEpsilon = Float(try container.decodeIfPresent(Double.self, forKey: .layerNormEpsilon) ?? 1e-12)
        hiddenDropoutProbability = Float(try container.decodeIfPresent(Double.self, forKey: .hiddenDropoutProbability) ?? 0.1)
        hiddenActivation = try container.decodeIfPresent(String.self, forKey: .hiddenActivation) ?? "gelu"
    }

    /// Reads `config.json` at `url`; throws `ItemLLMError.malformedModelFile` when it is not a BERT
    /// configuration this implementation can run.
    public static func load(from url: URL) throws -> BertConfig {
        let config: BertConfig
        do {
            config = try JSONDecoder().decode(BertConfig.self, from: Data(contentsOf: url))
        } catch {
            throw ItemLLMError.malformedModelFile(path: url.path, reason: "not a BERT config.json (\(error))")
        }
        try config.validate(path: url.path)
        return config
    }

    /// The nonlinearity `hiddenActivation` names: `"gelu"` is the exact erf GELU, `"gelu_new"` and
    /// `"gelu_pytorch_tanh"` its tanh approximation.
    public var activation: ActivationFunction {
        hiddenActivation == "gelu_new" || hiddenActivation == "gelu_pytorch_tanh" ? .gelu : .geluErf
    }

    /// Checks the sizes and the activation.
    func validate(path: String) throws {
        func fail(_ reason: String) -> ItemLLMError { .malformedModelFile(path: path, reason: reason) }
        guard hiddenSize > 0, layerCount > 0, headCount > 0, intermediateSize > 0, vocabularySize > 0,
              maxPositionEmbeddings > 0, typeVocabularySize > 0 else { throw fail("a size is not positive") }
        guard hiddenSize % headCount == 0 else { throw fail("hidden_size \(hiddenSize) is not a multiple of \(headCount) heads") }
        guard ["gelu", "gelu_new", "gelu_pytorch_tanh"].contains(hiddenActivation) else {
            throw fail("hidden_act '\(hiddenActivation)' is not supported (gelu, gelu_new or gelu_pytorch_tanh)")
        }
    }
}
