/// A recommender built from one `Codable` configuration, with a small default hyperparameter grid
/// for the model-selection loop (chosen on validation; see DESIGN.md).
public protocol ConfigurableRecommender: Recommender {
    /// The model's hyperparameters, with documented defaults.
    associatedtype Config: Codable, Equatable

    /// Short model name used in reports and on the command line.
    static var modelName: String { get }
    /// A handful of configurations sensible for MovieLens-100K-sized data.
    static var defaultGrid: [Config] { get }
    /// The configuration this instance was built with.
    var config: Config { get }

    /// A model with the given configuration, not yet fit.
    init(config: Config)
}

public extension ConfigurableRecommender {
    var name: String { Self.modelName }

    /// Every stored property of `config`, by name, printed with `String(describing:)`.
    var configDescription: [String: String] {
        Dictionary(uniqueKeysWithValues: Mirror(reflecting: config).children.compactMap { child in
            child.label.map { ($0, String(describing: child.value)) }
        })
    }

    /// One model-selection candidate per grid point.
    static func candidates(grid: [Config] = defaultGrid) -> [ModelCandidate] {
        grid.map { config in
            let model = Self(config: config)
            return ModelCandidate(model: modelName, config: model.configDescription, make: { Self(config: config) })
        }
    }
}
