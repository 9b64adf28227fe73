#!/usr/bin/env bash
# The header-driven reader (issue 18) against an earlier build: `check` of the same 2,000 .xlsx
# forms by both binaries, alternated in one run so that the machine's load falls on both alike.
# Usage: bench/reader.sh OLD_BINARY [FORMS] [ROUNDS]   (defaults 2000 forms, 7 rounds)
# OLD_BINARY is the budgetsite of the commit to compare with, built with `cargo build --release`
# in a worktree of it (e.g. `git worktree add ../base d14fe05 && (cd ../base && cargo build
# --release)`). Prints each round's wall time, then the median and best of each and NEW ÷ OLD.
# With CALLGRIND=1 it also counts the instructions of one `check --jobs 1` each on 200 of the
# forms (valgrind; a count the machine's load does not move).
set -euo pipefail
cd "$(dirname "$0")/.."
old=${1:?usage: bench/reader.sh OLD_BINARY [FORMS] [ROUNDS]}
forms=${2:-2000}
rounds=${3:-7}
cargo build --release --quiet -p budgetsite-gen
cargo build --release --quiet
new=target/release/budgetsite
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target/release/gen_district --out "$work/xlsx" --departments $((forms / 2)) --years 2021,2022 \
  --seed 3 --layouts all --formats xlsx --district 表式区 >/dev/null
dir="$work/xlsx/表式区"
echo "## check of $(ls "$dir" | wc -l) .xlsx forms, $rounds rounds alternated"
time_us() {
  local t0=${EPOCHREALTIME/[.,]/}
  "$1" check "$dir" >/dev/null 2>&1 || true
  echo $((${EPOCHREALTIME/[.,]/} - t0))
}
: >"$work/old" && : >"$work/new"
for r in $(seq "$rounds"); do
  o=$(time_us "$old") && n=$(time_us "$new")
  echo "$o" >>"$work/old" && echo "$n" >>"$work/new"
  printf "round %d: old %d ms, new %d ms\n" "$r" $((o / 1000)) $((n / 1000))
done
stats() { sort -n "$1" | awk '{ a[NR] = $1 } END { printf "%d %d", a[int((NR + 1) / 2)], a[1] }'; }
read -r om ob <<<"$(stats "$work/old")"
read -r nm nb <<<"$(stats "$work/new")"
awk -v om="$om" -v ob="$ob" -v nm="$nm" -v nb="$nb" 'BEGIN {
  printf "old: median %d ms, best %d ms\nnew: median %d ms, best %d ms\nnew / old (median) = %.2f\n",
    om / 1000, ob / 1000, nm / 1000, nb / 1000, nm / om }'
if [ "${CALLGRIND:-0}" = 1 ]; then
  mkdir -p "$work/small"
  ls "$dir" | head -200 | while read -r f; do cp "$dir/$f" "$work/small/"; done
  for which in old new; do
    bin=$old && [ "$which" = new ] && bin=$new
    valgrind --tool=callgrind --callgrind-out-file="$work/cg.$which" "$bin" check --jobs 1 \
      "$work/small" 2>&1 >/dev/null | sed -n "s/.*I *refs: *\([0-9,]*\)/$which instructions: \1/p"
  done
fi
