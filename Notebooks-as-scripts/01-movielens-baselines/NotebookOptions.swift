import Foundation

/// The notebook's three flags, parsed by hand: where the store, the reports and the raw data live.
struct NotebookOptions {
    /// Feature store directory (`--store`, default `store`).
    var store = "store"
    /// Reports directory (`--reports`, default `reports`); files go to `<reports>/ml-100k/`.
    var reports = "reports"
    /// MovieLens-100K as RecBole atomic files (`--data`, default `Data/ml-100k`).
    var data = "Data/ml-100k"

    /// The text `--help` prints.
    static let usage = """
    USAGE: MovieLensBaselines [--store DIR] [--reports DIR] [--data DIR]

    A notebook as a script: ingests MovieLens-100K, looks at it, fits and evaluates the four
    collaborative-filtering baselines under the standard protocol, writes their reports and a
    markdown + SVG summary to <reports>/ml-100k/, and shows one user's top 10.

      --store DIR    feature store directory (default store)
      --reports DIR  reports directory (default reports)
      --data DIR     MovieLens-100K RecBole atomic files (default Data/ml-100k; `make setup`)
      -h, --help     show this help
    """

    /// Parses `arguments` (without the program name); prints the usage and exits on `--help` or
    /// on anything it does not know.
    init(arguments: [String]) {
        var remaining = arguments[...]
        while let flag = remaining.popFirst() {
            if flag == "-h" || flag == "--help" {
                print(Self.usage)
                exit(0)
            }
            guard ["--store", "--reports", "--data"].contains(flag), let value = remaining.popFirst() else {
                FileHandle.standardError.write(Data("error: unknown argument or missing value: \(flag)\n\n\(Self.usage)\n".utf8))
                exit(2)
            }
            switch flag {
            case "--store": store = value
            case "--reports": reports = value
            default: data = value
            }
        }
    }
}
