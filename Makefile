# llmrec: `make run` (set-up + release build + the whole pipeline on ML-100K) and `make test`.
SWIFT ?= swift
STORE ?= store
RUN_ARGS ?=
NOTEBOOK_ARGS ?=

.PHONY: setup build run test bench notebook notebook-hllm notebook-ab clean

setup:
	@bash scripts/setup.sh

build: setup
	@$(SWIFT) build -c release --product llmrec

run: build
	@.build/release/llmrec pipeline --store $(STORE) --data Data/ml-100k $(RUN_ARGS)

test: setup
	@$(SWIFT) build -c release --build-tests
	@$(SWIFT) test -c release --skip-build

bench: setup
	@$(SWIFT) build -c release --product Benchmarks
	@.build/release/Benchmarks

notebook: setup
	@$(SWIFT) build -c release --product MovieLensBaselines
	@.build/release/MovieLensBaselines

notebook-hllm: setup
	@$(SWIFT) build -c release --product HLLMNotebook
	@.build/release/HLLMNotebook $(NOTEBOOK_ARGS)

notebook-ab: setup
	@$(SWIFT) build -c release --product ABSimulationNotebook
	@.build/release/ABSimulationNotebook

clean:
	@rm -rf .build
