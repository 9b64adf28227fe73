#!/usr/bin/env bash
# What the 2,000-department full build would take without a part of its work (issue 20's goal
# of ≤ 0.5× Hugo's time): a copy of HEAD built with `bench/ceiling.patch`, three switches that
# leave out one part each (never in the project's own code):
#   CEIL_NO_TERA          department pages not rendered by Tera (their views are still made;
#                         the page is written empty)
#   CEIL_NO_SEARCH        no search index written
#   CEIL_STOP_AFTER_LOAD  the build ends once every form is read and validated
# then, alternated RUNS times (default 8), `budgetsite build --no-cache` of N departments in
# one district (default 2000; made with crates/gen as bench/scale.sh makes them) under each
# switch; prints the median wall, user and system time of each. Usage: bench/ceiling.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
runs=${RUNS:-8}
years=${YEARS:-2020,2021,2022}
work=$(mktemp -d)
trap 'git worktree remove --force "$work/src" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add --detach "$work/src" HEAD >/dev/null 2>&1
git -C "$work/src" apply "$PWD/bench/ceiling.patch"
CARGO_TARGET_DIR=${CEILING_TARGET:-$PWD/target/ceiling} cargo build --release --quiet \
  --manifest-path "$work/src/Cargo.toml"
bin=${CEILING_TARGET:-$PWD/target/ceiling}/release/budgetsite
cargo build --release --quiet -p budgetsite-gen
./target/release/gen_district --out "$work/g" --departments "$n" --years "$years" --quirks some >/dev/null
input="$work/in"
mkdir -p "$input"
for d in "$work"/g/*/; do mv "$d" "$input/"; done

echo "budgetsite: commit $(git rev-parse --short HEAD) with bench/ceiling.patch; $n departments in one district, $(find "$input" -type f | wc -l) forms"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start; $runs runs each, alternated"
echo
switches=("" CEIL_NO_TERA=1 CEIL_NO_SEARCH=1 "CEIL_NO_TERA=1 CEIL_NO_SEARCH=1" CEIL_STOP_AFTER_LOAD=1)
for i in "${!switches[@]}"; do : >"$work/t$i"; done
for _ in $(seq "$runs"); do
  for i in "${!switches[@]}"; do
    rm -rf "$work/out"
    start=$EPOCHREALTIME
    # shellcheck disable=SC2086 # the switches are words on purpose
    env ${switches[$i]} /usr/bin/time -o "$work/time" -f "%U %S" "$bin" build --no-cache \
      --input "$input" --output "$work/out" >/dev/null 2>&1
    end=$EPOCHREALTIME
    echo "$(awk -v s="$start" -v e="$end" 'BEGIN{printf "%.0f", (e - s) * 1000}') $(awk '{printf "%.0f %.0f", $1 * 1000, $2 * 1000}' "$work/time")" >>"$work/t$i"
  done
done
median() { sort -n | awk '{a[NR]=$1} END{print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
echo "| left out | wall (median) | user | sys |"
echo "| --- | ---: | ---: | ---: |"
for i in "${!switches[@]}"; do
  name=${switches[$i]:-nothing}
  echo "| $name | $(cut -d' ' -f1 "$work/t$i" | median) ms | $(cut -d' ' -f2 "$work/t$i" | median) ms | $(cut -d' ' -f3 "$work/t$i" | median) ms |"
done
