#!/usr/bin/env bash
# Benchmarks `check` and `build` on generated districts, and the build's I/O floor; prints a
# Markdown table for BENCHMARKS.md. Usage: bench/run.sh [DEPARTMENTS…]   (default: 200 2000)
# Each size is department count × 3 years (YEARS=2020,2021,2022 by default), quirks mixed.
# Times are the best of 3 runs (wall), with user+sys CPU and peak RSS of that run. Every build
# run is a full build from scratch: its output is moved aside before each run, outside the
# timing, and only deleted when the script ends.
# Why not deleted: on our ext4 without a journal, the kernel won't reuse an inode freed less
# than 1–5 minutes ago, and on every file it creates it rescans all such inodes of the block
# group. Writing 820 files into a group where many files were just deleted (by a previous run,
# by tests using /tmp) took 0.2 s instead of 0.01 s. So nothing is deleted between runs, and the
# work folder is marked `chattr +T`, which makes ext4 put each output folder in a lightly used
# block group instead of the one /tmp is in. ext4 picks that group from a hash of the folder's
# name, so the output folders' names are new on each run of the script.
# The I/O floor (examples/io_floor.rs) reads the same inputs and writes the same files with the
# same bytes as the build, and nothing else; the target is a build within 1.5 × the floor.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(200 2000)
if [ ! -x /usr/bin/time ]; then
  apt-get update -qq && apt-get install -y -qq time >/dev/null
fi
cargo build --release --quiet -p budgetsite-gen
cargo build --release --quiet --example io_floor
cargo build --release --quiet
bin=${BIN:-target/release/budgetsite} # BIN=… measures another build of the tool
floor=target/release/examples/io_floor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chattr +T "$work" 2>/dev/null || true # ext4 only; see above
id=${work##*.}                         # mktemp's random suffix, to name the output folders

# measure [--own-clock] OUTPUT command… → "wall | cpu | rss" of the fastest of 3 runs (by wall).
# OUTPUT (if not empty) is moved aside before each run, outside the timing (see above). The wall
# is timed around /usr/bin/time (finer than its 10 ms %e); with --own-clock it is the one the
# command reports on its last line ("… in Z s"), as io_floor does to leave out its untimed
# loading of the site (CPU and RSS still include it). The fastest wall, in µs, is left in
# $work/wall.
measure() {
  local own="" sink=/dev/null out best="" best_us="" line t0 us
  if [ "$1" = --own-clock ]; then own=1 sink=$work/stdout && shift; fi
  out=$1 && shift
  rm -f "$work/wall"
  for _ in 1 2 3; do
    if [ -n "$out" ] && [ -e "$out" ]; then mv "$out" "$(mktemp -d "$work/old.XXXXXX")"; fi
    t0=${EPOCHREALTIME/[.,]/} # µs, without a subshell
    /usr/bin/time -o "$work/time" -f "%e %U %S %M" "$@" >"$sink" 2>/dev/null || true
    us=$((${EPOCHREALTIME/[.,]/} - t0))
    if [ -n "$own" ]; then
      us=$(awk '/ in [0-9.]+ s$/ {printf "%d", $(NF-1) * 1e6}' "$sink")
      [ -n "$us" ] || { echo "no \"in Z s\" in the output of $*" >&2 && return 1; }
    fi
    line=$(tail -1 "$work/time")
    if [ -z "$best_us" ] || [ "$us" -lt "$best_us" ]; then
      best=$line best_us=$us
    fi
  done
  echo "$best_us" >"$work/wall"
  awk -v l="$best" -v us="$best_us" \
    'BEGIN{split(l,x," "); printf "%.2f s | %.2f s | %.0f MB", us/1e6, x[2]+x[3], x[4]/1024}'
}

ratios=()
echo "| forms | input | command | wall | CPU (user+sys) | peak RSS |"
echo "| ---: | ---: | --- | ---: | ---: | ---: |"
for n in "${sizes[@]}"; do
  dir="$work/d$n"
  target/release/gen_district --out "$dir" --departments "$n" --years "${YEARS:-2020,2021,2022}" --quirks some >/dev/null
  forms=$(find "$dir" -path "*/.truth" -prune -o \( -name "*.txt" -o -name "*.json" \) -print | wc -l)
  size=$(du -sm --exclude=.truth "$dir" | cut -f1)
  echo "| $forms | ${size} MB | check | $(measure "" $bin check "$dir" --format json) |"
  site="$work/site$n-$id" copy="$work/copy$n-$id"
  echo "| $forms | ${size} MB | build | $(measure "$site" $bin build --no-cache --input "$dir" --output "$site") |"
  build_us=$(cat "$work/wall")
  # The last build run's site is what the floor writes again.
  echo "| $forms | ${size} MB | I/O floor | $(measure --own-clock "$copy" $floor --input "$dir" --site "$site" --output "$copy") |"
  floor_us=$(cat "$work/wall")
  if ! diff -rq "$site" "$copy" >/dev/null; then
    echo "io_floor did not reproduce the site of $site" >&2
    exit 1
  fi
  ratios+=("$(awk -v f="$forms" -v b="$build_us" -v l="$floor_us" \
    'BEGIN{printf "- %s forms: build ÷ floor = %.1f (%.3f s ÷ %.3f s)", f, b/l, b/1e6, l/1e6}')")
done
echo
printf '%s\n' "${ratios[@]}"
