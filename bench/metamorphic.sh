#!/usr/bin/env bash
# The long run of the metamorphic tests (issue #18): every bundled text export and generated
# forms of every layout, under every transformation and a random composition, saved in every
# format (xlsx, xls, ods, Unicode text, GB18030 text), with several seeds. Declarations and
# self-evaluations (issue #19, both layouts; --kind declaration|self-evaluation for one).
# Prints the pass rate per transformation × format (Markdown), a table per kind, the
# transformations skipped for a kind with their reason, and a failing example of each pair.
# Usage: bench/metamorphic.sh [SEEDS] [FIRST_SEED]   (default: 5 seeds from 1)
# More flags go to the example: bench/metamorphic.sh 3 1 --case empty-cols --format xls
# --dump DIR keeps the files of the failing cases.
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=${1:-5}
first=${2:-1}
shift $(( $# < 2 ? $# : 2 ))
cargo run --release --quiet --example metamorphic -- --seeds "$seeds" --first-seed "$first" "$@"
