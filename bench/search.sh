#!/usr/bin/env bash
# The search index (issue 13): its size against the department pages it covers, and what
# making it costs a full build. Usage: bench/search.sh [DEPARTMENTS…]   (default: 200 2000)
# Each size is one generated district of DEPARTMENTS × 3 years (quirks mixed), as bench/run.sh.
# examples/search_cost.rs prints the figures (best of 3 runs, each a fresh process so jieba's
# dictionary loads cold). Then it builds the site and types queries into its search page in
# headless Chromium (examples/search_typing), printing the time from typing to the results.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(200 2000)
cargo build --release --quiet -p budgetsite-gen && cargo build --release --quiet --example search_cost --example search_typing
cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for n in "${sizes[@]}"; do
  dir=$work/d$n
  target/release/gen_district --out "$dir" --departments "$n" --years "${YEARS:-2020,2021,2022}" --quirks some >/dev/null
  echo "== $n departments"
  for _ in 1 2 3; do
    TMPDIR=$work target/release/examples/search_cost "$dir"
  done
  target/release/budgetsite build --no-cache --input "$dir" --output "$work/site$n" >/dev/null 2>&1 || true
  du -b "$work/site$n"/search/*.js | awk '{s += $1} END {printf "index files: %d bytes\n", s}'
  target/release/examples/search_typing "$work/site$n" 助学 满意度 资金支付及时率 "2021 培训" 量子纠缠
done
