#!/usr/bin/env bash
# Benchmark of `chotatsu diff` (see benches/diff.rs): the MNDA revisions, a 300-article
# Japanese contract, and a 10,000-clause (~5 MB) pair timed against git's word diff.
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo bench --bench diff "$@"
