#!/usr/bin/env bash
# Benchmarks `check` and `build` on generated districts; prints a Markdown table for
# BENCHMARKS.md. Usage: bench/run.sh [DEPARTMENTS…]   (default: 200 2000)
# Each size is department count × 3 years (YEARS=2020,2021,2022 by default), quirks mixed.
# Times are the best of 3 runs (wall), with user+sys CPU and peak RSS of that run.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(200 2000)
if [ ! -x /usr/bin/time ]; then
  apt-get update -qq && apt-get install -y -qq time >/dev/null
fi
cargo build --release --quiet --example gen_district
cargo build --release --quiet
bin=target/release/budgetsite
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

measure() { # label, command… → "wall cpu rss"
  local best="" line
  for _ in 1 2 3; do
    /usr/bin/time -o "$work/time" -f "%e %U %S %M" "$@" >/dev/null 2>&1 || true
    line=$(tail -1 "$work/time")
    if [ -z "$best" ] || awk -v a="$line" -v b="$best" 'BEGIN{split(a,x," ");split(b,y," ");exit !(x[1]<y[1])}'; then
      best=$line
    fi
  done
  awk -v l="$best" 'BEGIN{split(l,x," "); printf "%.2f s | %.2f s | %.0f MB", x[1], x[2]+x[3], x[4]/1024}'
}

echo "| forms | input | command | wall | CPU (user+sys) | peak RSS |"
echo "| ---: | ---: | --- | ---: | ---: | ---: |"
for n in "${sizes[@]}"; do
  dir="$work/d$n"
  target/release/examples/gen_district --out "$dir" --departments "$n" --years "${YEARS:-2020,2021,2022}" --quirks some >/dev/null
  forms=$(find "$dir" -path "*/.truth" -prune -o \( -name "*.txt" -o -name "*.json" \) -print | wc -l)
  size=$(du -sm --exclude=.truth "$dir" | cut -f1)
  echo "| $forms | ${size} MB | check | $(measure $bin check "$dir" --format json) |"
  echo "| $forms | ${size} MB | build | $(measure $bin build --no-cache --input "$dir" --output "$work/out$n") |"
done
