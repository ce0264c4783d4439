// swift-tools-version:6.0
import PackageDescription

/// llmrec: an LLM-enhanced sequential recommender in Swift. See README.md and DESIGN notes.
let package = Package(
    name: "llmrec",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "LLMRec", targets: ["LinearAlgebra", "FeatureStore", "Datasets", "Evaluation", "Recommenders",
                                           "NeuralNet", "BatchExport", "Simulation"]),
        .executable(name: "llmrec", targets: ["llmrec"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // C boundary layers: only LinearAlgebra imports COpenBLAS, only FeatureStore imports CLMDB.
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CLMDB", path: "Sources/CLMDB", pkgConfig: "lmdb",
                       providers: [.apt(["liblmdb-dev"])]),

        .target(name: "LinearAlgebra", dependencies: ["COpenBLAS"]),
        .target(name: "FeatureStore", dependencies: ["CLMDB"]),
        .target(name: "NeuralNet", dependencies: ["LinearAlgebra"]),
        .target(name: "Datasets", dependencies: ["FeatureStore"]),
        .target(name: "Evaluation", dependencies: ["Datasets", "LinearAlgebra"]),
        .target(name: "Recommenders", dependencies: ["Datasets", "Evaluation", "LinearAlgebra", "FeatureStore", "NeuralNet"]),
        .target(name: "BatchExport", dependencies: ["Recommenders", "Evaluation", "Datasets", "FeatureStore", "LinearAlgebra"]),
        .target(name: "Simulation", dependencies: ["Recommenders", "Evaluation", "Datasets", "LinearAlgebra"]),
        .executableTarget(name: "llmrec", dependencies: [
            "Datasets", "Evaluation", "Recommenders", "FeatureStore", "BatchExport", "Simulation",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "Benchmarks", dependencies: ["Datasets", "Evaluation", "Recommenders", "FeatureStore",
                                                             "LinearAlgebra", "BatchExport"]),
        .executableTarget(name: "MovieLensBaselines", dependencies: ["Datasets", "Evaluation", "Recommenders", "FeatureStore"],
                          path: "Notebooks-as-scripts/01-movielens-baselines"),
        .executableTarget(name: "ABSimulationNotebook", dependencies: ["Datasets", "Evaluation", "Recommenders", "FeatureStore", "Simulation"],
                          path: "Notebooks-as-scripts/03-ab-simulation"),

        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra"]),
        .testTarget(name: "FeatureStoreTests", dependencies: ["FeatureStore"]),
        .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet", "LinearAlgebra"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "FeatureStore"], resources: [.copy("Fixtures")]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "Datasets"]),
        .testTarget(name: "RecommendersTests", dependencies: ["Recommenders", "Evaluation", "Datasets"]),
        .testTarget(name: "BatchExportTests", dependencies: ["BatchExport", "Recommenders", "Datasets", "FeatureStore"]),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation", "Recommenders", "Evaluation", "Datasets"]),
        .testTarget(name: "IntegrationTests", dependencies: ["Recommenders", "Evaluation", "Datasets", "FeatureStore"],
                    resources: [.copy("Fixtures")]),
    ],
    swiftLanguageModes: [.v5]
)
