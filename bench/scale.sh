#!/usr/bin/env bash
# Province scale (issue 20): budgetsite against Hugo in the two shapes a province builds, and
# what one changed form costs. Usage: bench/scale.sh [DEPARTMENTS…]   (default: 2000 20000)
#
# For each size N, two inputs made with crates/gen (YEARS, default 2020,2021,2022, quirks
# mixed, 3 forms a department):
#   one   — N departments in one district;
#   many  — the same N spread over N/125 districts (160 for 20,000), one gen_district run each.
# Each is turned into a Hugo site (bench/hugo/to_hugo.py: the parsed declarations as JSON front
# matter, the "simple" layouts of bench/hugo.sh: a department page is its year-by-year totals).
# Then, alternated RUNS times (default 1), `hugo` on that site and `budgetsite build --no-cache`
# on the raw forms, each writing a fresh folder; the table keeps each tool's fastest wall time
# with that run's CPU and peak RSS. Last, for the one-district shape: a full build with the
# cache, then one form's text changed and built again, REBUILDS times (default 5, the form
# changed again before each), the median as a share of the full build's wall (the issue's
# goal: ≤ 10 %). Wall times are taken to the millisecond (bash's EPOCHREALTIME around
# /usr/bin/time, which gives the CPU and the peak RSS).
# (Every pipeline reads its input whole: under `set -o pipefail` a `head` that stops early
# would end the script.) Prints Markdown for BENCHMARKS.md with the machine. Needs python3; installs `hugo` and `time`
# from Debian's packages when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(2000 20000)
years=${YEARS:-2020,2021,2022}
runs=${RUNS:-1}
rebuilds=${REBUILDS:-5}
per_district=${PER_DISTRICT:-125}
if [ ! -x /usr/bin/time ] || ! command -v hugo >/dev/null; then
  apt-get update -qq && apt-get install -y -qq time hugo >/dev/null
fi
cargo build --release --quiet
cargo build --release --quiet -p budgetsite-gen
bin=$PWD/target/release/budgetsite
gen=$PWD/target/release/gen_district
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "hugo: $(hugo version)"
echo "budgetsite: commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src Cargo.toml Cargo.lock 2>/dev/null || echo ' + uncommitted changes')"
echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
echo

timed() { # time-file, command… → "wall user sys maxrss_kb" in the file (a failure is reported)
  local tf=$1 rc=0 start end l
  shift
  start=$EPOCHREALTIME
  /usr/bin/time -o "$tf" -f "%e %U %S %M" "$@" >"$work/stdout" 2>"$work/stderr" || rc=$?
  end=$EPOCHREALTIME
  if [ "$rc" -gt 1 ]; then
    echo "warning: exit status $rc from: $*" >&2
    tail -5 "$work/stderr" >&2
  fi
  # The wall time to the millisecond: time's %e counts in steps of 10 ms, which for a
  # one-form rebuild of ~70 ms moved its share of a full build by a point and a half.
  l=$(tail -1 "$tf")
  awk -v l="$l" -v s="$start" -v e="$end" 'BEGIN { n = split(l, x, " "); o = sprintf("%.3f", e - s); for (i = 2; i <= n; i++) o = o " " x[i]; print o }' >"$tf"
}
better() { [ -z "$2" ] || awk -v a="$1" -v b="$2" 'BEGIN{split(a,x," ");split(b,y," ");exit !(x[1]<y[1])}'; }
fmt() { awk -v l="$1" 'BEGIN{split(l,x," "); printf "%.2f s | %.1f s | %.0f MB", x[1], x[2]+x[3], x[4]/1024}'; }
ratio() { awk -v a="$1" -v b="$2" -v i="$3" 'BEGIN{split(a,x," ");split(b,y," "); if (y[i]>0) printf "%.2f", x[i]/y[i]; else printf "–"}'; }

rows="" changed=""
for n in "${sizes[@]}"; do
  for shape in one many; do
    input="$work/in" site="$work/hugo"
    rm -rf "$input" "$site" "$work/g"
    if [ "$shape" = one ]; then
      "$gen" --out "$work/g/0" --departments "$n" --years "$years" --quirks some >/dev/null
      districts=1
    else
      districts=$(( (n + per_district - 1) / per_district ))
      for i in $(seq 0 $((districts - 1))); do
        "$gen" --out "$work/g/$i" --departments "$per_district" --years "$years" --quirks some \
          --seed $((1000 + i)) --district "示例区$i" >/dev/null
      done
    fi
    mkdir -p "$input"
    for g in "$work"/g/*/; do
      for d in "$g"*/; do mv "$d" "$input/"; done
    done
    forms=$(find "$input" -type f | wc -l)
    mb=$(du -sm "$input" | cut -f1)
    python3 bench/hugo/to_hugo.py "$work"/g/* "$site" >/dev/null
    best_h="" best_b=""
    for _ in $(seq "$runs"); do
      rm -rf "$site/public"
      timed "$work/th" hugo --quiet --source "$site" --destination "$site/public" --layoutDir layouts-simple
      l=$(tail -1 "$work/th"); if better "$l" "$best_h"; then best_h=$l; fi
      rm -rf "$site/public"
      rm -rf "$work/out"
      timed "$work/tb" "$bin" build --no-cache --input "$input" --output "$work/out"
      l=$(tail -1 "$work/tb"); if better "$l" "$best_b"; then best_b=$l; fi
      largest=$(find "$work/out" -name '*.html' -printf '%s\n' | sort -n | tail -1)
      rm -rf "$work/out"
    done
    rows+="| $n in $districts district(s) | $forms forms, $mb MB | $(fmt "$best_b") | $(fmt "$best_h") | $(ratio "$best_b" "$best_h" 1) | $(ratio "$best_b" "$best_h" 4) | $((largest / 1024)) KB |"$'\n'
    if [ "$shape" = one ]; then
      # One form changed: its functions paragraph only (a UTF-8 text form).
      form=$(grep -rl --include='*.txt' '部门职能概述' "$input" | sort | awk 'NR == 1')
      timed "$work/tf" "$bin" build --input "$input" --output "$work/inc" --cache "$work/cache"
      full=$(tail -1 "$work/tf")
      # REBUILDS times (default 5), each after one more edit of the same form: the median
      # rebuild (by wall time) is the row's, the range beside it.
      ones=()
      for _ in $(seq "$rebuilds"); do
        python3 - "$form" <<'EOF'
import sys
p = sys.argv[1]
b = open(p, "rb").read()
open(p, "wb").write(b.replace("部门职能概述\t".encode(), "部门职能概述\t（修订）".encode(), 1))
EOF
        timed "$work/to" "$bin" build --input "$input" --output "$work/inc" --cache "$work/cache"
        ones+=("$(tail -1 "$work/to")")
      done
      sorted=$(printf '%s\n' "${ones[@]}" | sort -n -k1,1)
      one=$(printf '%s\n' "$sorted" | awk -v m=$(( (rebuilds + 1) / 2 )) 'NR == m')
      range=$(printf '%s\n' "$sorted" | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.0f–%.0f ms", 1000 * lo, 1000 * hi }')
      changed+="| $n | $(fmt "$full") | $(fmt "$one") | $range | $(awk -v a="$one" -v b="$full" 'BEGIN{split(a,x," ");split(b,y," ");printf "%.1f %%", 100*x[1]/y[1]}') |"$'\n'
      rm -rf "$work/inc" "$work/cache"
    fi
  done
done
rm -rf "$work/in" "$work/hugo" "$work/g"

echo "| departments | input | budgetsite: wall | CPU | peak RSS | Hugo (simple pages): wall | CPU | peak RSS | wall ÷ Hugo | peak RSS ÷ Hugo | budgetsite's largest page |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
printf "%s" "$rows"
echo
echo "| departments (one district) | full build with the cache: wall | CPU | peak RSS | one form changed (median of $rebuilds): wall | CPU | peak RSS | its range | one ÷ full (goal ≤ 10 %) |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
printf "%s" "$changed"
