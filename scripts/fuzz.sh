#!/usr/bin/env bash
# `make fuzz`: builds a libFuzzer target per reader (Tests/Fuzz/<Target>/, README "Reliability:
# fuzzing") with `swiftc -sanitize=fuzzer,address`, seeds each corpus from the test fixtures, runs
# each target for FUZZ_SECONDS (default 180) and prints executions, coverage and crashes per target.
#
#   FUZZ_SECONDS=600 make fuzz                   longer runs
#   FUZZ_TARGETS="Safetensors LCRecIndex" make fuzz   some targets only
#   FUZZ_SECONDS=0 make fuzz                     build only
#
# Everything goes under .build-fuzz/ (modules, binaries, corpora, logs; crash inputs in
# .build-fuzz/artifacts/<Target>/). Exits non-zero when a target crashed, hung, ran out of memory
# or failed to build. Targets run one after another (one core each); builds use every core.
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZ_SECONDS=${FUZZ_SECONDS:-180}
FUZZ_TARGETS=${FUZZ_TARGETS:-"DatasetFiles LCRecDataset GzipDataset Ingest LCRecIndex Safetensors ExportManifest"}
JOBS=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}
SWIFTC=${SWIFTC:-swiftc}
OUT=.build-fuzz
MODULES=$OUT/modules
export SWIFT_BACKTRACE=enable=no   # a crash must not leave the Swift backtracer waiting
# Swift's and Foundation's process-lifetime allocations read as leaks at exit; memory that grows per
# input still stops a run at -rss_limit_mb.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}

fail() { echo "fuzz: $*" >&2; exit 1; }

# --- what each module and target needs ------------------------------------------------------------
# module -> the modules it imports (Package.swift), in an order that builds dependencies first.
declare -A MODULE_DEPS=(
  [SeededRandom]="" [LinearAlgebra]="" [FeatureStore]=""
  [Datasets]="FeatureStore SeededRandom" [NeuralNet]="LinearAlgebra SeededRandom"
  [SemanticIDs]="NeuralNet LinearAlgebra SeededRandom" [Evaluation]="Datasets LinearAlgebra SeededRandom"
  [ItemLLM]="NeuralNet LinearAlgebra Datasets FeatureStore"
  [Recommenders]="Datasets Evaluation LinearAlgebra FeatureStore NeuralNet ItemLLM SemanticIDs SeededRandom"
  [BatchExport]="Recommenders Evaluation Datasets FeatureStore LinearAlgebra SeededRandom"
)
MODULE_LEVELS=("SeededRandom LinearAlgebra FeatureStore" "Datasets NeuralNet" "SemanticIDs Evaluation ItemLLM"
               "Recommenders" "BatchExport")
# Modules whose code is fuzzed get coverage and AddressSanitizer; the others are only linked in
# (BatchExport imports them) and are built quickly without either.
INSTRUMENTED=" SeededRandom FeatureStore Datasets NeuralNet SemanticIDs BatchExport "

declare -A TARGET_MODULES=(
  [DatasetFiles]="SeededRandom FeatureStore Datasets"
  [LCRecDataset]="SeededRandom FeatureStore Datasets"
  [GzipDataset]="SeededRandom FeatureStore Datasets"
  [Ingest]="SeededRandom FeatureStore Datasets"
  [LCRecIndex]="SeededRandom LinearAlgebra NeuralNet SemanticIDs"
  [Safetensors]="SeededRandom LinearAlgebra NeuralNet"
  [ExportManifest]="SeededRandom LinearAlgebra FeatureStore Datasets NeuralNet SemanticIDs Evaluation ItemLLM Recommenders BatchExport"
)
# The longest input libFuzzer makes per target (bytes).
declare -A TARGET_MAX_LEN=(
  [DatasetFiles]=8192 [LCRecDataset]=32768 [GzipDataset]=8192 [Ingest]=8192
  [LCRecIndex]=8192 [Safetensors]=4096 [ExportManifest]=8192
)

for target in $FUZZ_TARGETS; do
  [ -n "${TARGET_MODULES[$target]+x}" ] || fail "unknown target $target (known: ${!TARGET_MODULES[*]})"
done
needed=" "
for target in $FUZZ_TARGETS; do needed+="${TARGET_MODULES[$target]} "; done

# --- build -------------------------------------------------------------------------------------------
mkdir -p "$MODULES" "$OUT/bin" "$OUT/logs"
# FeatureStore hashes with swift-crypto: its module and objects come from a package build of its
# own (not instrumented; the fuzzed code is llmrec's), in $OUT/packages.
if [[ "$needed" == *" FeatureStore "* ]]; then
  swift build -c release --scratch-path "$OUT/packages" --target Crypto >"$OUT/logs/build-Crypto.log" 2>&1 \
    || { cat "$OUT/logs/build-Crypto.log" >&2; fail "swift-crypto failed to build"; }
  PACKAGES=$(swift build -c release --scratch-path "$OUT/packages" --show-bin-path)
  mapfile -t CRYPTO_OBJECTS < <(find "$PACKAGES"/{CCryptoBoringSSL,CCryptoBoringSSLShims,CryptoBoringWrapper,Crypto}.build \
                                  -name '*.o' | sort)
fi
COMMON=(-parse-as-library -swift-version 5 -I "$MODULES" -I Sources/CLMDB -I Sources/COpenBLAS ${PACKAGES:+-I "$PACKAGES/Modules"})
FUZZ_FLAGS=(-O -sanitize=fuzzer,address)

# build_module M: one whole-module object and .swiftmodule, unless both are newer than M's sources
# and its dependencies' modules.
build_module() {
  local module=$1 object=$MODULES/$1.o dep newer flags
  local sources=() ; mapfile -t sources < <(find "Sources/$module" -name '*.swift' | sort)
  if [ -f "$object" ] && [ -f "$MODULES/$module.swiftmodule" ]; then
    newer=$(find "Sources/$module" -name '*.swift' -newer "$object" | head -1)
    for dep in ${MODULE_DEPS[$module]}; do
      if [ "$MODULES/$dep.swiftmodule" -nt "$object" ]; then newer=$dep; fi
    done
    if [ -z "$newer" ]; then return 0; fi
  fi
  if [[ "$INSTRUMENTED" == *" $module "* ]]; then flags=("${FUZZ_FLAGS[@]}"); else flags=(-Onone); fi
  "$SWIFTC" "${COMMON[@]}" "${flags[@]}" -wmo -module-name "$module" -emit-module \
    -emit-module-path "$MODULES/$module.swiftmodule" -c "${sources[@]}" -o "$object" \
    >"$OUT/logs/build-$module.log" 2>&1 || { cat "$OUT/logs/build-$module.log" >&2; rm -f "$object"; return 1; }
}

# build_target T: the harness (Tests/Fuzz/T plus Tests/Fuzz/Support) linked with its modules.
build_target() {
  local target=$1 binary=$OUT/bin/$1 objects=() module
  for module in ${TARGET_MODULES[$target]}; do objects+=("$MODULES/$module.o"); done
  if [[ " ${TARGET_MODULES[$target]} " == *" FeatureStore "* ]]; then objects+=("${CRYPTO_OBJECTS[@]}"); fi
  local sources=() ; mapfile -t sources < <(find "Tests/Fuzz/$target" "Tests/Fuzz/Support" -name '*.swift' | sort)
  if [ -f "$binary" ] && [ -z "$(find "${sources[@]}" "${objects[@]}" -newer "$binary" | head -1)" ]; then
    return 0
  fi
  # ld.gold warns about every AddressSanitizer assembly helper; lld does not.
  "$SWIFTC" "${COMMON[@]}" "${FUZZ_FLAGS[@]}" -use-ld=lld -module-name "$target" "${sources[@]}" "${objects[@]}" \
    -llmdb -lopenblas -o "$binary" >"$OUT/logs/build-$target.log" 2>&1 \
    || { cat "$OUT/logs/build-$target.log" >&2; return 1; }
}

# run_parallel CMD ITEM...: CMD ITEM for every item, JOBS at a time; fails if any failed.
run_parallel() {
  local command=$1 item pids=() status=0 pid; shift
  for item in "$@"; do
    "$command" "$item" & pids+=($!)
    if [ ${#pids[@]} -ge "$JOBS" ]; then wait "${pids[0]}" || status=1; pids=("${pids[@]:1}"); fi
  done
  for pid in "${pids[@]}"; do wait "$pid" || status=1; done
  return $status
}

build_start=$SECONDS
for level in "${MODULE_LEVELS[@]}"; do
  wanted=()
  for module in $level; do if [[ "$needed" == *" $module "* ]]; then wanted+=("$module"); fi; done
  [ ${#wanted[@]} -eq 0 ] || run_parallel build_module "${wanted[@]}" || fail "a module failed to build"
done
# shellcheck disable=SC2086
run_parallel build_target $FUZZ_TARGETS || fail "a fuzz target failed to build"
echo "fuzz: built $(echo $FUZZ_TARGETS | wc -w) targets in $((SECONDS - build_start)) s" >&2
[ "$FUZZ_SECONDS" -gt 0 ] || exit 0

# --- seed corpora from the fixtures ------------------------------------------------------------------
DS=Tests/DatasetsTests/Fixtures

# pack OUT CONTROL FILE...: one input: the control bytes (printf escapes), then the files joined by 0x1E.
pack() {
  local out=$1 control=$2 first=1 file; shift 2
  { printf "$control"
    for file in "$@"; do
      [ $first -eq 1 ] || printf '\x1e'
      first=0
      cat "$file"
    done
  } >"$out"
}

# le64 N: N as 8 little-endian bytes (printf escapes).
le64() { local n=$1 i out=""; for i in 0 1 2 3 4 5 6 7; do out+=$(printf '\\x%02x' $(( (n >> (8 * i)) & 255 ))); done; printf '%s' "$out"; }

# safetensors OUT HEADER DATA: two inputs: mode 0 and a safetensors file with JSON HEADER and data
# bytes DATA (printf escapes); mode 1, HEADER, 0x1E, DATA.
safetensors() {
  { printf '\x00'; printf "$(le64 ${#2})"; printf '%s' "$2"; printf "$3"; } >"$1"
  { printf '\x01%s\x1e' "$2"; printf "$3"; } >"$1-parts"
}

seed_DatasetFiles() {
  local c=$1
  pack "$c/ml100k" '\x00' $DS/ml-100k/u.data $DS/ml-100k/u.item $DS/ml-100k/u.user
  pack "$c/ml100k-detect" '\x20' $DS/ml-100k/u.data $DS/ml-100k/u.item
  pack "$c/ml1m" '\x01' $DS/ml-1m/ratings.dat $DS/ml-1m/movies.dat $DS/ml-1m/users.dat
  pack "$c/csv" '\x02' $DS/ml-csv/ratings.csv $DS/ml-csv/movies.csv
  pack "$c/csv-utf8" '\x12' $DS/bad-utf8-movies/ratings.csv $DS/bad-utf8-movies/movies.csv
  pack "$c/a2014" '\x03' $DS/amazon-2014/reviews_Toys_5.json $DS/amazon-2014/meta_Toys.json
  pack "$c/a2018" '\x04' $DS/amazon-2018/Toys_5.json $DS/amazon-2018/meta_Toys.json
  pack "$c/a2023" '\x05' $DS/amazon-2023/Toys.jsonl $DS/amazon-2023/meta_Toys.jsonl
  pack "$c/a2023-detect" '\x25' $DS/amazon-2023/Toys.jsonl $DS/amazon-2023/meta_Toys.jsonl
  pack "$c/recbole" '\x06' $DS/recbole/tiny.inter $DS/recbole/tiny.item $DS/recbole/tiny.user
  local bad
  for bad in $DS/bad/*.csv; do pack "$c/bad-$(basename "$bad")" '\x12' "$bad"; done
  for bad in $DS/bad/*.json; do pack "$c/bad-$(basename "$bad")" '\x04' "$bad"; done
}

seed_LCRecDataset() {
  local c=$1 bad
  pack "$c/shop" '\x00' $DS/lc-rec/Shop.inter.json $DS/lc-rec/Shop.item.json
  pack "$c/shop-file" '\x01' $DS/lc-rec/Shop.inter.json
  pack "$c/bad-record" '\x00' $DS/lc-rec-bad-record/Shop.inter.json $DS/lc-rec-bad-record/Shop.item.json
  pack "$c/missing-item" '\x00' $DS/lc-rec-missing-item/Shop.inter.json $DS/lc-rec-missing-item/Shop.item.json
  for bad in $DS/lc-rec-bad/*.json; do pack "$c/bad-$(basename "$bad")" '\x00' "$bad"; done
}

seed_GzipDataset() {
  local c=$1
  # mode 0: the rest is a .gz file as is; mode 1: text to compress; 2-4: compressed, then damaged.
  pack "$c/csv-gz" '\x00\x00' $DS/ml-csv-gz/ratings.csv.gz
  pack "$c/corrupt-gz" '\x00\x00' $DS/bad/corrupt.csv.gz
  pack "$c/lcrec-gz" '\x02\x00' $DS/lc-rec-gz/Shop.inter.json.gz
  pack "$c/csv-text" '\x00\x01' $DS/ml-csv/ratings.csv
  pack "$c/amazon-text" '\x01\x01' $DS/amazon-2018/Toys_5.json
  pack "$c/lcrec-text" '\x02\x01' $DS/lc-rec/Shop.inter.json
  pack "$c/csv-cut" '\x00\x02\x00\x50' $DS/ml-csv/ratings.csv
  pack "$c/amazon-cut" '\x01\x02\x01\x00' $DS/amazon-2018/Toys_5.json
  pack "$c/amazon-flip" '\x01\x03\x00\x40' $DS/amazon-2018/Toys_5.json
  pack "$c/lcrec-trailing" '\x02\x04\x00\x00' $DS/lc-rec/Shop.inter.json
}

seed_Ingest() {
  local c=$1
  pack "$c/ml100k" '\x00' $DS/ml-100k/u.data $DS/ml-100k/u.item $DS/ml-100k/u.user
  pack "$c/ml1m-kcore" '\x21' $DS/ml-1m/ratings.dat $DS/ml-1m/movies.dat $DS/ml-1m/users.dat
  pack "$c/csv-rating" '\x42' $DS/ml-csv/ratings.csv $DS/ml-csv/movies.csv
  pack "$c/a2014" '\x03' $DS/amazon-2014/reviews_Toys_5.json $DS/amazon-2014/meta_Toys.json
  pack "$c/a2018" '\x04' $DS/amazon-2018/Toys_5.json $DS/amazon-2018/meta_Toys.json
  pack "$c/a2023" '\x05' $DS/amazon-2023/Toys.jsonl $DS/amazon-2023/meta_Toys.jsonl
  pack "$c/recbole" '\x06' $DS/recbole/tiny.inter $DS/recbole/tiny.item $DS/recbole/tiny.user
  pack "$c/lcrec" '\x07' $DS/lc-rec/Shop.inter.json $DS/lc-rec/Shop.item.json
  pack "$c/bad-csv" '\x02' $DS/bad/truncated.csv
  pack "$c/skip-csv" '\x12' $DS/bad/two-bad-lines.csv
}

seed_LCRecIndex() {
  local c=$1 index
  for index in Tests/SemanticIDsTests/Fixtures/index/*.json Tests/IntegrationTests/Fixtures/semantic-ids/*.json \
               $DS/lc-rec/Shop.index.json; do
    cp "$index" "$c/$(basename "$(dirname "$index")")-$(basename "$index")"
  done
}

seed_Safetensors() {
  local c=$1
  safetensors "$c/two" '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1,1],"data_offsets":[8,12]}}' \
    '\x00\x00\x80\x3f\x00\x00\x00\x40\x00\x00\x40\x40'
  safetensors "$c/metadata" '{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}    ' \
    '\x00\x00\x80\x3f\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x3f'
  safetensors "$c/scalar" '{"s":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}' '\x00\x00\x80\x7f'
  safetensors "$c/empty" '{"e":{"dtype":"F32","shape":[0,3],"data_offsets":[0,0]}}' ''
  safetensors "$c/f16" '{"h":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}}' '\x00\x3c'
}

seed_ExportManifest() {
  local c=$1 dir=$OUT/seed-export shards i part sha
  rm -rf "$dir"; mkdir -p "$dir"
  # shards N: N manifests, then one part file per shard (part-<i>-of-<N>-00000.jsonl).
  for shards in 1 2; do
    local files=()
    for ((i = 0; i < shards; i++)); do
      part="part-$i-of-$shards-00000.jsonl"
      printf '{"user":"%d","items":["242","302"],"scores":[0.91,0.87]}\n' "$i" >"$dir/$part"
      sha=$(sha256sum "$dir/$part" | cut -d' ' -f1)
      cat >"$dir/manifest-$i-of-$shards.json" <<EOF
{
  "finishedAt" : "2025-01-02T03:04:06Z",
  "fingerprint" : "0f0e",
  "job" : {
    "allowListSHA256" : null,
    "dataset" : "ml-100k",
    "datasetVersion" : 1,
    "excludeHistory" : true,
    "format" : "jsonl",
    "k" : 2,
    "model" : "ease",
    "modelSHA256" : "ab",
    "modelVersion" : 3,
    "numItems" : 1682,
    "numUsers" : 943,
    "partSize" : 1000,
    "shard" : "$i/$shards"
  },
  "parts" : [
    {
      "bytes" : $(wc -c <"$dir/$part"),
      "fingerprint" : "0f0e",
      "name" : "$part",
      "rows" : 1,
      "sha256" : "$sha",
      "users" : 1
    }
  ],
  "rows" : 1,
  "startedAt" : "2025-01-02T03:04:05Z",
  "users" : 1
}
EOF
      files+=("$dir/manifest-$i-of-$shards.json")
    done
    for ((i = 0; i < shards; i++)); do files+=("$dir/part-$i-of-$shards-00000.jsonl"); done
    pack "$c/shards-$shards" "$(printf '\\x%02x' $((shards - 1)))" "${files[@]}"
  done
}

# --- run -----------------------------------------------------------------------------------------------
# stat LOG KEY: the last value libFuzzer printed for KEY (e.g. "cov:") in LOG.
last_stat() { grep -o "$2 [0-9]*" "$1" | tail -1 | awk '{print $2}'; }

results=()
status=0
for target in $FUZZ_TARGETS; do
  corpus=$OUT/corpus/$target
  artifacts=$OUT/artifacts/$target
  log=$OUT/logs/$target.log
  mkdir -p "$corpus" "$artifacts"
  touch "$OUT/logs/$target.started"
  "seed_$target" "$corpus"
  seeds=()
  if [ -d "Tests/Fuzz/$target/seeds" ]; then seeds=("Tests/Fuzz/$target/seeds"); fi
  echo "fuzz: $target for $FUZZ_SECONDS s (log: $log)" >&2
  set +e
  dictionary=()
  if [ -f "Tests/Fuzz/$target/$target.dict" ]; then dictionary=(-dict="Tests/Fuzz/$target/$target.dict"); fi
  "$OUT/bin/$target" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
    -max_len="${TARGET_MAX_LEN[$target]}" -print_final_stats=1 -detect_leaks=0 "${dictionary[@]}" \
    -artifact_prefix="$artifacts/" "$corpus" "${seeds[@]}" >"$log" 2>&1
  code=$?
  set -e
  executions=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | awk '{print $2}')
  [ -n "$executions" ] || executions=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
  per_second=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | tail -1 | awk '{print $2}')
  crashes=$(find "$artifacts" -type f -newer "$OUT/logs/$target.started" | wc -l)
  if [ "$code" -ne 0 ] || [ "$crashes" -gt 0 ]; then
    status=1
    echo "fuzz: $target stopped (exit $code); inputs in $artifacts, the report is the end of $log:" >&2
    grep -E 'ERROR|SUMMARY|contract violation|Fatal error|deadly signal' "$log" | head -5 >&2
  fi
  results+=("$(printf '%-15s %12s %8s %6s %7s %7s' "$target" "${executions:-?}" "${per_second:-?}" \
    "$(last_stat "$log" cov:)" "$(last_stat "$log" ft:)" "$crashes")")
done

printf '\n%-15s %12s %8s %6s %7s %7s\n' target executions exec/s cov ft crashes
printf '%s\n' "${results[@]}"
exit $status
