#!/usr/bin/env bash
# Builds the release binary twice from fresh clones of HEAD (fresh target folders, so nothing
# is reused) and compares the SHA-256 of the two binaries.
#
# Both builds use the same source path: rustc records source paths in panic locations, and
# cargo hashes RUSTFLAGS into symbol names, so path remapping with per-path flags cannot make
# builds at different paths identical on stable Rust. A fixed build path is what
# reproducible-build setups (Debian, Nix) use too.
set -euo pipefail
top=$(git rev-parse --show-toplevel)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for n in 1 2; do
  rm -rf "$work/src"
  git clone -q "$top" "$work/src"
  (cd "$work/src" && cargo build --release --locked --quiet)
  cp "$work/src/target/release/chotatsu" "$work/chotatsu.$n"
done
sha256sum "$work/chotatsu.1" "$work/chotatsu.2" | tee "$work/sums"
a=$(awk 'NR==1 {print $1}' "$work/sums")
b=$(awk 'NR==2 {print $1}' "$work/sums")
if [ "$a" = "$b" ]; then echo "reproducible: $a"; else echo "NOT reproducible"; exit 1; fi
