# llmrec: `make run` (set-up + release build + the whole pipeline on ML-100K) and `make test`.
SWIFT ?= swift
# Code generation for AVX2 + FMA (x86-64-v3) where the build machine has it: the export's fused
# dot-product kernel runs about 2.5x faster with it. Builds are for the machine they run on; set
# CPU_FLAGS= to build a binary for any x86-64.
CPU_FLAGS ?= $(shell grep -qw avx2 /proc/cpuinfo 2>/dev/null && grep -qw fma /proc/cpuinfo && echo -Xswiftc -target-cpu -Xswiftc haswell)
RELEASE = -c release $(CPU_FLAGS)
STORE ?= store
RUN_ARGS ?=
# TIGER trains to early stopping in `llmrec evaluate`; `make run` caps it to stay within its budget.
TIGER_EPOCHS ?= 20
# SASRec (8 points) and HLLM (4 points) search their grids by successive halving in `llmrec
# evaluate`; `make run` pins one point (dropout 0.2, maximum length 200, no weight decay: the
# reference ML-100K configuration) to stay within its budget. PINNED= runs the search instead.
PINNED ?= --set sasrec.dropout=0.2 --set sasrec.maxLength=200 --set sasrec.weightDecay=0 --set hllm.dropout=0.2 --set hllm.maxLength=200
NOTEBOOK_ARGS ?=
# `make fuzz`: seconds per fuzz target (README "Reliability: fuzzing"); FUZZ_TARGETS picks targets.
FUZZ_SECONDS ?= 180
FUZZ_TARGETS ?=

.PHONY: setup build run test bench fuzz notebook notebook-hllm notebook-ab notebook-generative clean

setup:
	@bash scripts/setup.sh

build: setup
	@$(SWIFT) build $(RELEASE) --product llmrec

run: build
	@.build/release/llmrec pipeline --store $(STORE) --data Data/ml-100k --set tiger.maxEpochs=$(TIGER_EPOCHS) $(PINNED) $(RUN_ARGS)

test: setup
	@$(SWIFT) build $(RELEASE) --build-tests
	@$(SWIFT) test $(RELEASE) --skip-build

bench: setup
	@$(SWIFT) build $(RELEASE) --product Benchmarks
	@.build/release/Benchmarks

# libFuzzer targets for every reader of outside files, each run for FUZZ_SECONDS (not part of `test`).
fuzz: setup
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_TARGETS="$(FUZZ_TARGETS)" bash scripts/fuzz.sh

notebook: setup
	@$(SWIFT) build $(RELEASE) --product MovieLensBaselines
	@.build/release/MovieLensBaselines

notebook-hllm: setup
	@$(SWIFT) build $(RELEASE) --product HLLMNotebook
	@.build/release/HLLMNotebook $(NOTEBOOK_ARGS)

notebook-ab: setup
	@$(SWIFT) build $(RELEASE) --product ABSimulationNotebook
	@.build/release/ABSimulationNotebook

# TIGER on the Amazon Office set in ../shared/data (about an hour on 2 cores; NOTEBOOK_ARGS=--help).
notebook-generative: setup
	@$(SWIFT) build $(RELEASE) --product GenerativeRetrievalNotebook
	@.build/release/GenerativeRetrievalNotebook $(NOTEBOOK_ARGS)

clean:
	@rm -rf .build
