// swift-tools-version:6.0
import PackageDescription

/// llmrec: an LLM-enhanced sequential recommender in Swift. See README.md and DESIGN notes.
let package = Package(
    name: "llmrec",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "LLMRec", targets: ["SeededRandom", "LinearAlgebra", "FeatureStore", "Datasets", "Evaluation", "Recommenders",
                                           "NeuralNet", "ItemLLM", "SemanticIDs", "BatchExport", "Simulation"]),
        .executable(name: "llmrec", targets: ["llmrec"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // SHA-256 with the CPU's SHA instructions (BoringSSL) for checksums and digests.
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
    ],
    targets: [
        // C boundary layers: only LinearAlgebra imports COpenBLAS, only FeatureStore imports CLMDB.
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CLMDB", path: "Sources/CLMDB", pkgConfig: "lmdb",
                       providers: [.apt(["liblmdb-dev"])]),

        .target(name: "SeededRandom"),
        .target(name: "LinearAlgebra", dependencies: ["COpenBLAS"]),
        .target(name: "FeatureStore", dependencies: ["CLMDB", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "NeuralNet", dependencies: ["LinearAlgebra", "SeededRandom"]),
        .target(name: "Datasets", dependencies: ["FeatureStore", "SeededRandom"]),
        .target(name: "ItemLLM", dependencies: ["NeuralNet", "LinearAlgebra", "Datasets", "FeatureStore"]),
        .target(name: "SemanticIDs", dependencies: ["NeuralNet", "LinearAlgebra", "SeededRandom"]),
        .target(name: "Evaluation", dependencies: ["Datasets", "LinearAlgebra", "SeededRandom"]),
        .target(name: "Recommenders", dependencies: ["Datasets", "Evaluation", "LinearAlgebra", "FeatureStore", "NeuralNet",
                                                "ItemLLM", "SemanticIDs", "SeededRandom"]),
        .target(name: "BatchExport", dependencies: ["Recommenders", "Evaluation", "Datasets", "FeatureStore", "LinearAlgebra",
                                                   "SeededRandom"]),
        .target(name: "Simulation", dependencies: ["Recommenders", "Evaluation", "Datasets", "LinearAlgebra", "SeededRandom"]),
        .executableTarget(name: "llmrec", dependencies: [
            "Datasets", "Evaluation", "Recommenders", "FeatureStore", "ItemLLM", "SemanticIDs", "BatchExport", "Simulation",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "Benchmarks", dependencies: ["Datasets", "Evaluation", "Recommenders", "FeatureStore", "ItemLLM",
                                                             "LinearAlgebra", "BatchExport", "SemanticIDs"]),
        .executableTarget(name: "MovieLensBaselines", dependencies: ["Datasets", "Evaluation", "Recommenders", "FeatureStore"],
                          path: "Notebooks-as-scripts/01-movielens-baselines"),
        .executableTarget(name: "HLLMNotebook", dependencies: ["Datasets", "Evaluation", "Recommenders", "FeatureStore", "ItemLLM",
                                                               "NeuralNet"],
                          path: "Notebooks-as-scripts/02-hllm"),
        .executableTarget(name: "ABSimulationNotebook", dependencies: ["Datasets", "Evaluation", "Recommenders", "FeatureStore", "Simulation"],
                          path: "Notebooks-as-scripts/03-ab-simulation"),
        .executableTarget(name: "GenerativeRetrievalNotebook", dependencies: ["Datasets", "Evaluation", "Recommenders", "FeatureStore",
                                                                              "ItemLLM", "NeuralNet", "SemanticIDs"],
                          path: "Notebooks-as-scripts/04-generative-retrieval"),

        .testTarget(name: "LinearAlgebraTests", dependencies: ["SeededRandom", "LinearAlgebra"]),
        .testTarget(name: "FeatureStoreTests", dependencies: ["SeededRandom", "FeatureStore"]),
        // Gradient-check assertions shared by the layer tests (imports XCTest; built only for tests).
        .target(name: "GradientTestSupport", dependencies: ["NeuralNet", "SeededRandom"], path: "Tests/GradientTestSupport"),
        .testTarget(name: "NeuralNetTests", dependencies: ["SeededRandom", "NeuralNet", "LinearAlgebra", "GradientTestSupport"]),
        .testTarget(name: "DatasetsTests", dependencies: ["SeededRandom", "Datasets", "FeatureStore"], resources: [.copy("Fixtures")]),
        .testTarget(name: "EvaluationTests", dependencies: ["SeededRandom", "Evaluation", "Datasets"]),
        .testTarget(name: "ItemLLMTests", dependencies: ["SeededRandom", "ItemLLM", "NeuralNet", "Datasets", "FeatureStore",
                                                     "GradientTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "SemanticIDsTests", dependencies: ["SeededRandom", "SemanticIDs", "NeuralNet", "LinearAlgebra",
                                                        "GradientTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "RecommendersTests", dependencies: ["SeededRandom", "Recommenders", "Evaluation", "Datasets", "NeuralNet", "ItemLLM",
                                                              "SemanticIDs"]),
        .testTarget(name: "BatchExportTests", dependencies: ["SeededRandom", "BatchExport", "Recommenders", "Datasets", "FeatureStore",
                                                        "ItemLLM", "LinearAlgebra"]),
        .testTarget(name: "SimulationTests", dependencies: ["SeededRandom", "Simulation", "Recommenders", "Evaluation", "Datasets"]),
        .testTarget(name: "IntegrationTests", dependencies: ["SeededRandom", "Recommenders", "Evaluation", "Datasets", "FeatureStore"],
                    resources: [.copy("Fixtures")]),
    ],
    swiftLanguageModes: [.v5]
)
