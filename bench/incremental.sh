#!/usr/bin/env bash
# Benchmarks incremental builds on a generated district: a full build with the cache, an
# unchanged rebuild, and a rebuild after one form changes (its goal text only; one of its
# amounts). Prints a Markdown table for BENCHMARKS.md, then the unchanged rebuild's wall
# time as a share of the full build's (the target: ≤ 5 %).
# Usage: bench/incremental.sh [DEPARTMENTS…]   (default: 2000)
# Each figure is the best of 3 (wall), with user+sys CPU and peak RSS of that run; every
# "one form" run changes the form again, so it is always a real change.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
ratios=()
[ ${#sizes[@]} -gt 0 ] || sizes=(2000)
if [ ! -x /usr/bin/time ]; then
  apt-get update -qq && apt-get install -y -qq time >/dev/null
fi
cargo build --release --quiet -p budgetsite-gen
cargo build --release --quiet
# BUDGETSITE_BIN: another build of the tool to measure (e.g. an older commit's, to compare).
bin=${BUDGETSITE_BIN:-$PWD/target/release/budgetsite}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run() { # label (for reading), before-hook → "wall | cpu | rss"
  local best="" line hook=$2
  for i in 1 2 3; do
    $hook "$i"
    /usr/bin/time -o "$work/time" -f "%e %U %S %M" \
      "$bin" build --input "$dir" --output "$work/out" --cache "$work/cache" >/dev/null 2>&1 || true
    line=$(tail -1 "$work/time")
    if [ -z "$best" ] || awk -v a="$line" -v b="$best" 'BEGIN{split(a,x," ");split(b,y," ");exit !(x[1]<y[1])}'; then
      best=$line
    fi
  done
  awk -v l="$best" 'BEGIN{split(l,x," "); printf "%.2f s | %.2f s | %.0f MB", x[1], x[2]+x[3], x[4]/1024}'
}

fresh() { rm -rf "$work/out" "$work/cache"; }
nothing() { :; }
# A UTF-8 text form of the district, edited in place by the hooks below.
text_edit() { python3 - "$form" "$1" <<'EOF'
import sys
path, n = sys.argv[1], sys.argv[2]
s = open(path, encoding="utf-8").read()
# The functions paragraph only: the department's page changes, no figure does.
s = s.replace("部门职能概述\t", f"部门职能概述\t（修订{n}）", 1)
open(path, "w", encoding="utf-8").write(s)
EOF
}
figure_edit() { python3 - "$form" "$1" <<'EOF'
import re, sys
path, n = sys.argv[1], int(sys.argv[2])
s = open(path, encoding="utf-8").read()
# 财政拨款, both 合计 and 基本支出 of the budget year grow by n, so the table still adds
# up: every district-wide figure of that year changes.
head, sep, tail = s.partition("部门职能概述")
def bump(m):
    return m.group(1) + m.group(2) + f"{float(m.group(3)) + n:.2f}"
head = re.sub(r"(财政拨款|合计|基本支出)(\t+)([0-9]+(?:\.[0-9]+)?)", bump, head)
open(path, "w", encoding="utf-8").write(head + sep + tail)
EOF
}

echo "| departments | forms | build | wall | CPU (user+sys) | peak RSS |"
echo "| ---: | ---: | --- | ---: | ---: | ---: |"
for n in "${sizes[@]}"; do
  dir="$work/d$n"
  target/release/gen_district --out "$dir" --departments "$n" --years 2020,2021,2022 --quirks some >/dev/null
  forms=$(find "$dir" -path "*/.truth" -prune -o \( -name "*.txt" -o -name "*.json" \) -print | wc -l)
  # A UTF-8 form whose amounts the edit can change and that stays clean after it.
  form=""
  for f in "$dir"/*/*-2022.txt; do
    iconv -f utf-8 -t utf-8 "$f" >/dev/null 2>&1 || continue
    cp "$f" "$work/probe.txt"
    (form="$work/probe.txt"; figure_edit 1)
    if "$bin" check "$work/probe.txt" >/dev/null 2>&1 && ! cmp -s "$f" "$work/probe.txt"; then
      form=$f
      break
    fi
  done
  [ -n "$form" ] || { echo "no editable form found" >&2; exit 1; }
  full=$(run full fresh); echo "| $n | $forms | full, from scratch | $full |"
  unchanged=$(run unchanged nothing); echo "| $n | $forms | unchanged | $unchanged |"
  echo "| $n | $forms | one form changed (text) | $(run text text_edit) |"
  echo "| $n | $forms | one form changed (an amount) | $(run figure figure_edit) |"
  ratios+=("$n departments: unchanged / full = $(awk -v u="${unchanged%% s*}" -v f="${full%% s*}" 'BEGIN{printf "%.1f %%", 100*u/f}')")
done
echo
printf '%s\n' "${ratios[@]}"
