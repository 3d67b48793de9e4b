#!/usr/bin/env bash
# Builds the release binary twice, from two clones of HEAD at different paths, and compares
# the SHA-256 of the binaries. Paths are remapped so that where the source sits does not
# leak into the binary (panic locations, debug information).
set -euo pipefail
top=$(git rev-parse --show-toplevel)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for n in a b; do
  git clone -q "$top" "$work/$n"
  (
    cd "$work/$n"
    RUSTFLAGS="--remap-path-prefix=$work/$n=/build/chotatsu --remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=/cargo" \
      CARGO_TARGET_DIR="$work/$n/target" cargo build --release --locked --quiet
  )
done
sha256sum "$work/a/target/release/chotatsu" "$work/b/target/release/chotatsu" | tee "$work/sums"
a=$(awk 'NR==1 {print $1}' "$work/sums")
b=$(awk 'NR==2 {print $1}' "$work/sums")
if [ "$a" = "$b" ]; then echo "reproducible: $a"; else echo "NOT reproducible"; exit 1; fi
