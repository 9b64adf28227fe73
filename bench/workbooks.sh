#!/usr/bin/env bash
# Spreadsheets (issue 10): what reading an .xlsx form costs against the same form as text, and
# `check` of 2,000 spreadsheets. Usage: bench/workbooks.sh [FORMS]   (default 2000)
# The generator writes FORMS forms (FORMS/2 departments × 2 years, all four layouts) three times
# with the same seed: as .xlsx, as the text export and as Excel "Unicode text"; the contents
# are the same forms, only the file format differs (the hubei forms of the text run are the
# classic export with its quirks). Then:
#  1. examples/read_cost parses every file of each folder from memory on one thread (best of 7
#     passes, the folders taking turns) and prints µs per form; the script prints xlsx ÷ text (target ≤ 3);
#  2. `budgetsite check` of the .xlsx folder, best of 3 wall times (target < 2 s).
# With CALLGRIND=1 it first counts instructions instead of time, which a shared machine does not
# move: `valgrind --tool=callgrind` runs read_cost on 100 of these forms (50 departments × 2
# years) in each format and prints the counts and xlsx ÷ each text format.
set -euo pipefail
cd "$(dirname "$0")/.."
forms=${1:-2000}
departments=$((forms / 2))
cargo build --release --quiet -p budgetsite-gen && cargo build --release --quiet --example read_cost
cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gen=target/release/gen_district
if [ "${CALLGRIND:-0}" = 1 ]; then
  echo "## instructions (callgrind, read_cost on 100 forms, 7 passes)"
  for format in txt utxt xlsx; do
    $gen --out "$work/cg-$format" --departments 50 --years 2021,2022 --seed 3 \
      --layouts all --formats "$format" --district 表式区 >/dev/null
    valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.$format" \
      target/release/examples/read_cost "$work/cg-$format/表式区" 2>&1 |
      sed -n "s/.*I *refs: *\([0-9,]*\)/$format \1/p" | tr -d , | tee -a "$work/instructions"
  done
  awk '{ n[$1] = $2 } END { printf "xlsx / text export = %.2f, xlsx / Unicode text = %.2f (target <= 3)\n", n["xlsx"] / n["txt"], n["xlsx"] / n["utxt"] }' "$work/instructions"
fi
for format in xlsx txt utxt; do
  $gen --out "$work/$format" --departments "$departments" --years 2021,2022 --seed 3 \
    --layouts all --formats "$format" --district 表式区 >/dev/null
done
echo "## read cost (one thread, parse only)"
target/release/examples/read_cost "$work/txt/表式区" "$work/utxt/表式区" "$work/xlsx/表式区" | tee "$work/cost"
per_form() { grep "/$1/" "$work/cost" | sed 's/.*, \([0-9.]*\) µs per form/\1/'; }
awk -v x="$(per_form xlsx)" -v t="$(per_form txt)" -v u="$(per_form utxt)" \
  'BEGIN { printf "xlsx / text export = %.2f, xlsx / Unicode text = %.2f (target <= 3)\n", x / t, x / u }'
echo "## check of $forms spreadsheets (wall, best of 3)"
best=""
for _ in 1 2 3; do
  t0=${EPOCHREALTIME/[.,]/}
  target/release/budgetsite check "$work/xlsx/表式区" >/dev/null 2>&1 || true
  us=$((${EPOCHREALTIME/[.,]/} - t0))
  if [ -z "$best" ] || [ "$us" -lt "$best" ]; then best=$us; fi
done
printf "check %s .xlsx forms: %d.%03d s (target < 2 s)\n" "$(ls "$work/xlsx/表式区" | wc -l)" $((best / 1000000)) $(((best / 1000) % 1000))
