#!/usr/bin/env bash
# Issue #20's incremental figure on its own: what rebuilding after one changed form costs
# against a full build with the cache (goal ≤ 10 %), without bench/scale.sh's Hugo runs.
# Usage: [ROUNDS=3] [BASE=/path/to/other/budgetsite] bench/one_form.sh [DEPARTMENTS]
# A district of DEPARTMENTS (default 2000) × 3 years made by crates/gen (the inputs of
# bench/self_eval.sh). Each round copies it afresh, builds it whole with a cache, then edits
# one form's functions paragraph three times, rebuilding after each edit. With BASE set, the
# two binaries alternate round by round on the same input (the only comparison that holds on
# a noisy machine). Prints a Markdown row per round: full build (wall, CPU), the three
# one-form rebuilds' wall, and the median rebuild as a share of the full build.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
rounds=${ROUNDS:-3}
cargo build --release --quiet -p budgetsite-gen
cargo build --release --quiet
gen=target/release/gen_district
bins=("$PWD/target/release/budgetsite")
[ -z "${BASE:-}" ] || bins=("$BASE" "${bins[@]}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$gen" --out "$work/src" --departments "$n" --years 2020,2021,2022 --seed 5 --quirks some >/dev/null
sync
timed() { # timed COMMAND… → "wall cpu"
  local t0 t1 cpu
  t0=${EPOCHREALTIME/[.,]/}
  TIMEFORMAT='%U %S'
  cpu=$({ time "$@" >/dev/null 2>&1 || true; } 2>&1)
  t1=${EPOCHREALTIME/[.,]/}
  awk -v us=$((t1 - t0)) -v cpu="$cpu" 'BEGIN { split(cpu, c, " "); printf "%.2f %.2f", us / 1e6, c[1] + c[2] }'
}
echo "| binary | round | full build with the cache (s, CPU s) | one form changed, three edits (s) | median ÷ full |"
echo "| --- | --- | --- | --- | --- |"
for r in $(seq "$rounds"); do
  for i in "${!bins[@]}"; do
    bin=${bins[$i]}
    w=$work/r$r-b$i
    mkdir -p "$w" && cp -r "$work/src/示例区" "$w/in"
    # The forms older than the racy window (`files::RACY_NS`, 2 s), as where they were filed
    # before the build: a form changed within 2 s of a build's start is compared by its bytes
    # at the next (just after this copy, every form: +25–30 ms a rebuild at 2,000).
    sleep 2
    read -r full full_cpu <<<"$(timed "$bin" build --input "$w/in" --output "$w/out" --cache "$w/cache")"
    form=$(grep -rl --include='*.txt' '部门职能概述' "$w/in" | sort | awk 'NR == 1')
    ones=()
    for e in 1 2 3; do
      python3 - "$form" "$e" <<'EOF'
import sys
p = sys.argv[1]
b = open(p, "rb").read()
open(p, "wb").write(b.replace("部门职能概述\t".encode(), f"部门职能概述\t（修订{sys.argv[2]}）".encode(), 1))
EOF
      read -r one _ <<<"$(timed "$bin" build --input "$w/in" --output "$w/out" --cache "$w/cache")"
      ones+=("$one")
    done
    median=$(printf '%s\n' "${ones[@]}" | sort -n | awk 'NR == 2')
    share=$(awk -v a="$median" -v b="$full" 'BEGIN { printf "%.1f %%", 100 * a / b }')
    echo "| $bin | $r | $full ($full_cpu) | ${ones[*]} | $share |"
    echo "$i $full ${ones[*]}" >>"$work/all"
  done
done
# Over the rounds, per binary: the median full build and the median rebuild (a full build
# on this machine swings more than the rebuilds do, so one round's share says little).
for i in "${!bins[@]}"; do
  awk -v i="$i" -v bin="${bins[$i]}" '$1 == i { f[++nf] = $2; for (k = 3; k <= NF; k++) o[++no] = $k }
    function med(a, n,    j, k, t) { for (j = 1; j <= n; j++) for (k = j + 1; k <= n; k++) if (a[k] < a[j]) { t = a[j]; a[j] = a[k]; a[k] = t }
      return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
    END { mf = med(f, nf); mo = med(o, no); printf "%s: median full %.2f s, median one-form %.2f s, %.1f %%\n", bin, mf, mo, 100 * mo / mf }' "$work/all"
done
