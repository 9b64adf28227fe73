#!/usr/bin/env bash
# Issue #19's budget: a district of N departments (default 2000) × 3 years with declarations
# and a self-evaluation for each builds in at most 1.5 × the time of its declarations alone.
# Usage: bench/self_eval.sh [DEPARTMENTS]. One run each (full builds, --no-cache), wall time;
# the same seed makes the same declarations in both folders. Prints both times and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
if [ -z "${SKIP_BUILD:-}" ]; then # SKIP_BUILD=1 measures the binaries already built
  cargo build --release --quiet -p budgetsite-gen
  cargo build --release --quiet
fi
gen=target/release/gen_district
bin=${BIN:-target/release/budgetsite}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$gen" --out "$work/decl" --departments "$n" --years 2020,2021,2022 --seed 5 --quirks some >/dev/null
"$gen" --out "$work/both" --departments "$n" --years 2020,2021,2022 --seed 5 --quirks some \
  --self-evaluations 100 --eval-sichuan 30 --eval-xlsx 10 >/dev/null
evals=$(find "$work/both" -name '*-自评.*' | wc -l)
run() { # run INPUT OUTPUT → wall seconds of one full build
  local t0 t1
  t0=${EPOCHREALTIME/[.,]/}
  "$bin" build --input "$1" --output "$2" --no-cache --allow-shrink >/dev/null 2>&1 || true
  t1=${EPOCHREALTIME/[.,]/}
  awk -v us=$((t1 - t0)) 'BEGIN { printf "%.2f", us / 1e6 }'
}
a=$(run "$work/decl/示例区" "$work/out-decl")
b=$(run "$work/both/示例区" "$work/out-both")
ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", b / a }')
echo "| departments × years | self-evaluations | declarations only (s) | with self-evaluations (s) | ratio |"
echo "| --- | --- | --- | --- | --- |"
echo "| $n × 3 | $evals | $a | $b | $ratio |"
awk -v r="$ratio" 'BEGIN { exit !(r <= 1.5) }' || { echo "over budget: $ratio > 1.5" >&2; exit 1; }
