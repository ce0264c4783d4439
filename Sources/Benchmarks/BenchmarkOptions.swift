import Foundation
import Recommenders

/// The command-line flags of `Benchmarks`, parsed by hand (the target has no ArgumentParser).
struct BenchmarkOptions {
    /// Data lines of the generated MovieLens-format `ratings.csv` (`--ingest-lines`, `--quick`).
    var ingestLines = 20_000_000
    /// The MovieLens-100K RecBole directory (`--data`).
    var dataDirectory = "Data/ml-100k"
    /// Where generated files and the temporary stores go (`--generated`); gitignored.
    var generatedDirectory = "Data/generated"
    /// Models to fit and evaluate, in leaderboard order (`--models`). SASRec and HLLM train for
    /// minutes, so by default they are timed per epoch in their own sections instead
    /// (`--models ...,sasrec,hllm` adds them here); the models that decode semantic IDs (TIGER)
    /// need codes this loop does not build and are timed in the TIGER section.
    var models = Self.defaultModels
    /// Every registered model but SASRec, HLLM and those reading semantic IDs.
    static let defaultModels = ModelRegistry.names.filter {
        $0 != SASRec.modelName && $0 != HLLM.modelName && !ModelRegistry.readsSemanticIDs($0)
    }
    /// Users of the generated factor model the export benchmark exports (`--export-users`).
    var exportUsers = 200_000
    /// Times the export and its GEMM-only reference are each run, alternating (`--export-repeats`);
    /// the table compares the fastest of each, the run least disturbed by other load.
    var exportRepeats = 3
    /// Run only the sgemm reference and the export benchmark (`--export-only`).
    var exportOnly = false
    /// Epochs timed per SASRec objective (`--sasrec-epochs`; 0 skips the SASRec speed section).
    var sasrecEpochs = 3
    /// Run only the sgemm reference and the SASRec section: the transformer blocks and, unless
    /// `--sasrec-epochs 0`, the epoch timing (`--block-only`).
    var blockOnly = false
    /// Epochs timed per HLLM variant (`--hllm-epochs`; 0 skips the HLLM speed section).
    var hllmEpochs = 2
    /// Time the item LLM's encoding of the ML-100K catalogue (off with `--no-item-llm`).
    var itemLLMEncoding = true
    /// The pretrained item LLM (`--item-llm`).
    var itemLLMDirectory = "Data/minilm"
    /// Items of the generated catalogue the semantic-ID section quantises (`--semantic-ids-items`;
    /// 0 leaves it out).
    var semanticIDItems = 1_000_000
    /// Run the semantic-ID section (off with `--no-semantic-ids`).
    var semanticIDs = true
    /// Run only the sgemm reference and the semantic-ID section (`--semantic-ids-only`).
    var semanticIDsOnly = false
    /// Run the TIGER section (off with `--no-tiger`).
    var tiger = true
    /// Run only the sgemm reference and the TIGER section (`--tiger-only`).
    var tigerOnly = false
    /// Run the Amazon-sized section (off with `--no-amazon`).
    var amazonSized = true
    /// Run only the sgemm reference, SHA-256 and the Amazon-sized section (`--amazon-only`).
    var amazonOnly = false
    /// Catalogue sizes at which EASE's fit alone is timed in the Amazon-sized section
    /// (`--ease-fit-items 12101,30000`; none by default: 30,000 items take minutes and 7 GB).
    var easeFitItems: [Int] = []
    /// Run the model-selection cost section when the Office folder exists (off with `--no-search`).
    var search = true
    /// Run only the sgemm reference, SHA-256 and the model-selection cost section (`--search-only`).
    var searchOnly = false
    /// Cap on every SASRec configuration's epochs in the model-selection cost section
    /// (`--search-max-epochs`), for a quick check; nil keeps the registry's.
    var searchMaxEpochs: Int?
    /// The Amazon Office data set (LC-Rec layout) for the semantic-ID, TIGER and model-selection
    /// cost sections (`--office`).
    var officeDirectory = "../shared/data/amazon-office"
    /// Where to write every number as JSON (`--json`), or nil.
    var jsonPath: String?

    /// The text `--help` prints.
    static let usage = """
    USAGE: Benchmarks [--quick] [--ingest-lines N] [--data DIR] [--generated DIR] [--models a,b] [--json PATH]

    One run that prints markdown tables on stdout (progress on stderr):
      1. sgemm 1024^3 GFLOP/s (LinearAlgebra's BLAS.gemm), the reference for every other number;
      2. ingest throughput and peak resident memory on MovieLens-100K and on a generated
         MovieLens-format ratings.csv (target: >= 1M interactions/s and < 2 GB for 20M lines);
      3. per model on ML-100K leave-one-out: grid search, refit, scoring time per user,
         evaluation time, and validation/test NDCG@10, HR@10, MRR with a 95% CI.
      4. the batch export of a generated factor model (--export-users x 50,000 items, d = 64,
         K = 100): users/s, GEMM-only time of the same scores, their ratio (target <= 2; the
         fastest of --export-repeats runs of each), peak RSS;
      5. SASRec seconds per epoch and one transformer block against sgemm;
      6. the item LLM (all-MiniLM-L6-v2) encoding the ML-100K catalogue: items/s, tokens/s and
         GFLOP/s against sgemm (target >= 0.5), and one fine-tuning step of its top layer;
      7. HLLM seconds per epoch with the item LLM frozen and with its top layer fine-tuned.
      8. semantic IDs: residual k-means (3 x 256) and the RQ-VAE on the Amazon Office catalogue
         (item-LLM embeddings) and on a generated 1,000,000 x 384 catalogue, with k-means's
         GFLOP/s against the same distance GEMMs alone (targets: Office k-means < 1 s, RQ-VAE
         < 60 s; generated k-means within 3x of its GEMMs).
      9. TIGER (generative retrieval): constrained beam search on a generated 12,000-item catalogue
         (codes 4 x 256, histories of 20) in the default size (d 64, 2+2 blocks, FFN 256; beams 10,
         20, 50) and the paper's (d 128, 4 heads, 4+4 blocks, FFN 1024; beams 10, 20): ms per user
         of scoreBatch (batches of 64 over all cores, as evaluation runs it) and GFLOP/s against
         sgemm on one thread and all; seconds per training epoch on Amazon Office with its
         published semantic IDs (default size 2 epochs, paper size 1).
     10. Amazon-sized data (generated with Beauty's shape: 22,363 users, 12,101 items, about 9
         items per user, skewed popularity): EASE's fit against its validation + test ranking
         (target: ranking under a quarter of the fit), ItemKNN's evaluation, SASRec seconds per
         epoch (length 50), peak memory of each; EASE's fit alone at --ease-fit-items sizes.
     11. the cost of model selection: SASRec's grid searched by successive halving on Amazon Office
         (leave-one-out), against one fit of the chosen configuration alone: seconds, epochs over
         all configurations, their ratios (search / fit), the winner's valid and test NDCG@10.
     Every run also times SHA-256 (what ingest, the export and saved models hash with) in MB/s.

    OPTIONS:
      --ingest-lines N  data lines of the generated ratings.csv (default 20000000); the file is
                        kept in <generated>/ml-synthetic-N/ and reused when its line count matches
      --quick           same as --ingest-lines 2000000
      --data DIR        MovieLens-100K as RecBole atomic files (default Data/ml-100k; `make setup`)
      --generated DIR   folder for the generated file and temporary stores (default Data/generated)
      --models LIST     comma-separated models (default \(defaultModels.joined(separator: ",")); sasrec is timed per epoch in its own section)
      --export-users N  users of the generated 50,000-item factor model exported (default 200000)
      --export-repeats N  runs of the export and of its GEMM-only reference, alternating; the
                        fastest of each is compared (default 3)
      --export-only     run only the sgemm reference and the export benchmark
      --sasrec-epochs N SASRec epochs timed per objective (default 3; 0 skips the SASRec speed
                        section: seconds per epoch, sequences/s, positions/s, scoring, block vs sgemm)
      --block-only      run only the sgemm reference and the SASRec section (the transformer
                        blocks, then the epochs unless --sasrec-epochs 0)
      --hllm-epochs N   HLLM epochs timed per variant (default 2; 0 skips the HLLM speed section)
      --no-item-llm     skip the item-LLM encoding section
      --item-llm DIR    the pretrained item LLM (default Data/minilm; `make setup`)
      --no-semantic-ids skip the semantic-ID section
      --semantic-ids-only  run only the sgemm reference and the semantic-ID section
      --semantic-ids-items N  items of the generated catalogue (default 1000000; 0 leaves it out)
      --no-tiger        skip the TIGER section
      --tiger-only      run only the sgemm reference and the TIGER section
      --no-amazon       skip the Amazon-sized section
      --amazon-only     run only the sgemm reference, SHA-256 and the Amazon-sized section
      --ease-fit-items LIST  comma-separated catalogue sizes at which to time EASE's fit alone
                        in the Amazon-sized section (default none; 30000 takes minutes and 7 GB)
      --no-search       skip the model-selection cost section
      --search-only     run only the sgemm reference, SHA-256 and the model-selection cost section
      --search-max-epochs N  cap every SASRec configuration of the search at N epochs (a quick
                        check; default: the registry's own)
      --office DIR      the Amazon Office LC-Rec folder for the semantic-ID, TIGER and model-selection
                        cost sections (default ../shared/data/amazon-office; skipped with a note when absent)
      --json PATH       also write every number as JSON to PATH
      -h, --help        show this help
    """

    /// Parses `arguments` (without the program name); throws `UsageError` on anything unknown.
    init(arguments: [String]) throws {
        var remaining = arguments[...]
        func value(of flag: String) throws -> String {
            guard let next = remaining.popFirst() else { throw UsageError("\(flag) needs a value") }
            return next
        }
        while let flag = remaining.popFirst() {
            switch flag {
            case "--quick": ingestLines = 2_000_000
            case "--ingest-lines":
                let text = try value(of: flag)
                guard let lines = Int(text.replacingOccurrences(of: "_", with: "")), lines > 0 else {
                    throw UsageError("--ingest-lines expects a positive integer, got '\(text)'")
                }
                ingestLines = lines
            case "--data": dataDirectory = try value(of: flag)
            case "--generated": generatedDirectory = try value(of: flag)
            case "--models":
                models = try value(of: flag).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                if let unknown = models.first(where: { !ModelRegistry.names.contains($0) }) {
                    throw UsageError("unknown model '\(unknown)'; known models: \(ModelRegistry.names.joined(separator: ", "))")
                }
            case "--export-users":
                let text = try value(of: flag)
                guard let users = Int(text.replacingOccurrences(of: "_", with: "")), users > 0 else {
                    throw UsageError("--export-users expects a positive integer, got '\(text)'")
                }
                exportUsers = users
            case "--export-repeats":
                let text = try value(of: flag)
                guard let repeats = Int(text), repeats > 0 else {
                    throw UsageError("--export-repeats expects a positive integer, got '\(text)'")
                }
                exportRepeats = repeats
            case "--export-only": exportOnly = true
            case "--sasrec-epochs":
                let text = try value(of: flag)
                guard let epochs = Int(text), epochs >= 0 else {
                    throw UsageError("--sasrec-epochs expects a non-negative integer, got '\(text)'")
                }
                sasrecEpochs = epochs
            case "--block-only": blockOnly = true
            case "--hllm-epochs":
                let text = try value(of: flag)
                guard let epochs = Int(text), epochs >= 0 else {
                    throw UsageError("--hllm-epochs expects a non-negative integer, got '\(text)'")
                }
                hllmEpochs = epochs
            case "--no-item-llm": itemLLMEncoding = false
            case "--item-llm": itemLLMDirectory = try value(of: flag)
            case "--no-semantic-ids": semanticIDs = false
            case "--semantic-ids-only": semanticIDsOnly = true
            case "--semantic-ids-items":
                let text = try value(of: flag)
                guard let items = Int(text.replacingOccurrences(of: "_", with: "")), items >= 0 else {
                    throw UsageError("--semantic-ids-items expects a non-negative integer, got '\(text)'")
                }
                semanticIDItems = items
            case "--no-tiger": tiger = false
            case "--tiger-only": tigerOnly = true
            case "--no-amazon": amazonSized = false
            case "--amazon-only": amazonOnly = true
            case "--ease-fit-items":
                let text = try value(of: flag)
                let sizes = text.split(separator: ",").map { Int($0.replacingOccurrences(of: "_", with: "")) }
                guard !sizes.isEmpty, sizes.allSatisfy({ ($0 ?? 0) > 0 && $0! <= TrainingData.denseItemLimit }) else {
                    throw UsageError("--ease-fit-items expects comma-separated sizes from 1 to \(TrainingData.denseItemLimit), got '\(text)'")
                }
                easeFitItems = sizes.map { $0! }
            case "--no-search": search = false
            case "--search-only": searchOnly = true
            case "--search-max-epochs":
                let text = try value(of: flag)
                guard let epochs = Int(text), epochs > 0 else {
                    throw UsageError("--search-max-epochs expects a positive integer, got '\(text)'")
                }
                searchMaxEpochs = epochs
            case "--office": officeDirectory = try value(of: flag)
            case "--json": jsonPath = try value(of: flag)
            case "-h", "--help": throw UsageError.helpRequested
            default: throw UsageError("unknown argument '\(flag)'")
            }
        }
    }
}

/// A bad command line (or `--help`): the message to print before the usage text.
struct UsageError: Error {
    /// What was wrong; empty for `--help`.
    let message: String

    /// An error saying `message`.
    init(_ message: String) { self.message = message }

    /// `--help` was given: print the usage and exit successfully.
    static let helpRequested = UsageError("")
}
