/// A recommender built from one `Codable` configuration, with a small default hyperparameter grid
/// for the model-selection loop (chosen on validation; see DESIGN.md).
public protocol ConfigurableRecommender: Recommender {
    /// The model's hyperparameters, with documented defaults.
    associatedtype Config: Codable, Equatable

    /// Short model name used in reports and on the command line.
    static var modelName: String { get }
    /// A handful of configurations sensible for MovieLens-100K-sized data.
    static var defaultGrid: [Config] { get }
    /// Hyperparameters whose grid the search extends when validation picks an end (none by default).
    static var searchAxes: [SearchAxis] { get }
    /// The configuration this instance was built with.
    var config: Config { get }

    /// A model with the given configuration, not yet fit.
    init(config: Config)
}

public extension ConfigurableRecommender {
    var name: String { Self.modelName }

    static var searchAxes: [SearchAxis] { [] }

    /// Every stored property of `config`, by name, printed with `String(describing:)`.
    var configDescription: [String: String] {
        Dictionary(uniqueKeysWithValues: Mirror(reflecting: config).children.compactMap { child in
            child.label.map { ($0, String(describing: child.value)) }
        })
    }

    /// One model-selection candidate per grid point.
    static func candidates(grid: [Config] = defaultGrid) -> [ModelCandidate] {
        grid.map(candidate(_:))
    }

    /// The model-selection candidate of `config`, which can be rebuilt with other settings.
    static func candidate(_ config: Config) -> ModelCandidate {
        ModelCandidate(model: modelName, config: Self(config: config).configDescription, make: { Self(config: config) },
                       searchAxes: searchAxes,
                       changing: { candidate(try ConfigOverrides.apply($0, to: config, model: modelName)) })
    }
}
