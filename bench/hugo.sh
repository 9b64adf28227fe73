#!/usr/bin/env bash
# budgetsite vs Hugo, side by side in one run (speed issue #5: "full build from raw forms:
# at most 0.5 × Hugo's time on the same departments").
# Usage: bench/hugo.sh [DEPARTMENTS…]   (default: 200 2000)
# For each size: generate a district (department count × YEARS, default 2020,2021,2022, quirks
# mixed) with crates/gen; turn the same data into a Hugo site with
# bench/hugo/to_hugo.py (one page per department, its parsed declarations in JSON front
# matter, a district list page, minimal layouts); then time, alternating, `hugo --quiet` on
# that site with two sets of layouts -- "full" (bench/hugo/layouts: every figure, goal and
# indicator of every form, like budgetsite's department page without charts) and "simple"
# (bench/hugo/layouts-simple: a department page is its year-by-year totals only, the issue's
# "simpler department pages") -- and `budgetsite build` on the raw forms, 3 runs each (RUNS=N
# to change); keep
# the fastest wall time with the CPU time and peak RSS of that run. Outputs are deleted before
# every run (outside the timing), so both tools write a fresh site every time.
# Prints Markdown tables for BENCHMARKS.md. Needs python3; installs `hugo` and `time` from
# Debian's packages when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(200 2000)
years=${YEARS:-2020,2021,2022}
runs=${RUNS:-3}
if [ ! -x /usr/bin/time ] || ! command -v hugo >/dev/null; then
  apt-get update -qq && apt-get install -y -qq time hugo >/dev/null
fi
cargo build --release --quiet
cargo build --release --quiet -p budgetsite-gen
bin=$PWD/target/release/budgetsite
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

hugo_version=$(hugo version)
echo "hugo: $hugo_version"
if git rev-parse --git-dir >/dev/null 2>&1; then
  echo "budgetsite: commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src Cargo.toml Cargo.lock || echo ' + uncommitted changes')"
else
  echo "budgetsite: not a git checkout"
fi
echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo

run() { # dir-to-clear-first, time-file, command… (a failure is reported on stderr)
  rm -rf "$1"
  local tf=$2
  shift 2
  local rc=0
  /usr/bin/time -o "$tf" -f "%e %U %S %M" "$@" >"$work/stdout" 2>"$work/stderr" || rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "warning: exit status $rc from: $*" >&2
    tail -5 "$work/stderr" >&2
  fi
  return 0
}
better() { # "wall …" line a better than b?
  [ -z "$2" ] || awk -v a="$1" -v b="$2" 'BEGIN{split(a,x," ");split(b,y," ");exit !(x[1]<y[1])}'
}
fmt() { awk -v l="$1" 'BEGIN{split(l,x," "); printf "%.2f s | %.2f s | %.0f MB", x[1], x[2]+x[3], x[4]/1024}'; }
ratio() { awk -v a="$1" -v b="$2" -v i="$3" 'BEGIN{split(a,x," ");split(b,y," ");
  if (i=="cpu") { p=x[2]+x[3]; q=y[2]+y[3] } else { p=x[i]; q=y[i] }
  if (q>0) printf "%.2f", p/q; else printf "–" }'; }

rows=""
ratios=""
for n in "${sizes[@]}"; do
  dir="$work/d$n" site="$work/hugo$n"
  target/release/gen_district --out "$dir" --departments "$n" --years "$years" --quirks some >/dev/null
  forms=$(find "$dir" -path "*/.truth" -prune -o \( -name "*.txt" -o -name "*.tsv" -o -name "*.json" \) -print | wc -l)
  size=$(du -sm --exclude=.truth "$dir" | cut -f1)
  t0=$(date +%s.%N)
  python3 bench/hugo/to_hugo.py "$dir" "$site" >/dev/null
  conv=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
  hsize=$(du -sm "$site/content" | cut -f1)
  best_h="" best_s="" best_b=""
  for _ in $(seq "$runs"); do
    run "$site/public" "$work/th" hugo --quiet --source "$site" --destination "$site/public" --layoutDir layouts
    l=$(tail -1 "$work/th"); if better "$l" "$best_h"; then best_h=$l; fi
    hfiles=$(find "$site/public" -type f | wc -l) hmb=$(du -sm "$site/public" | cut -f1)
    run "$site/public" "$work/ts" hugo --quiet --source "$site" --destination "$site/public" --layoutDir layouts-simple
    l=$(tail -1 "$work/ts"); if better "$l" "$best_s"; then best_s=$l; fi
    sfiles=$(find "$site/public" -type f | wc -l) smb=$(du -sm "$site/public" | cut -f1)
    run "$work/out$n" "$work/tb" "$bin" build --no-cache --input "$dir" --output "$work/out$n"
    l=$(tail -1 "$work/tb"); if better "$l" "$best_b"; then best_b=$l; fi
  done
  bfiles=$(find "$work/out$n" -type f | wc -l) bmb=$(du -sm "$work/out$n" | cut -f1)
  rows+="| $n | $forms | Hugo, full pages (front matter ${hsize} MB) | $(fmt "$best_h") | $hfiles files, $hmb MB |"$'\n'
  rows+="| $n | $forms | Hugo, simple pages (same front matter) | $(fmt "$best_s") | $sfiles files, $smb MB |"$'\n'
  rows+="| $n | $forms | budgetsite \`build\` (raw forms ${size} MB) | $(fmt "$best_b") | $bfiles files, $bmb MB |"$'\n'
  ratios+="| $n | $(ratio "$best_b" "$best_h" 1) | $(ratio "$best_b" "$best_s" 1) | $(ratio "$best_b" "$best_h" cpu) | $(ratio "$best_b" "$best_s" cpu) | $(ratio "$best_b" "$best_h" 4) | ${conv} s |"$'\n'
  rm -rf "$dir" "$site" "$work/out$n"
done

echo "| departments | forms | tool (input) | wall | CPU (user+sys) | peak RSS | output |"
echo "| ---: | ---: | --- | ---: | ---: | ---: | ---: |"
printf "%s" "$rows"
echo
echo "| departments | wall ÷ Hugo full (goal ≤ 0.5) | wall ÷ Hugo simple (goal ≤ 0.5) | CPU ÷ Hugo full | CPU ÷ Hugo simple | peak RSS ÷ Hugo full | to_hugo.py (not timed) |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
printf "%s" "$ratios"
