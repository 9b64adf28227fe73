#!/usr/bin/env bash
# The search index (issues 13 and 20): its size against the department pages it covers, what
# making it costs a full build, and what a first query loads and takes, beside Pagefind.
# Usage: bench/search.sh [DEPARTMENTS…]   (default: 200 2000)
# Each size is one generated district of DEPARTMENTS × 3 years (quirks mixed), as bench/run.sh.
# examples/search_cost.rs prints the figures (best of 3 runs, each a fresh process so the
# dictionary's pages are read cold). Then it builds the site and types queries into its search page in
# headless Chromium (examples/search_typing), printing the time from typing to the results.
# Then examples/search_compare: five typed queries and 200 recall queries, each the first
# query of a fresh page (bytes loaded, time to results, recall@10). With PAGEFIND set to a
# `pagefind_extended` binary (npm install --prefix /tmp/pf pagefind@1.5.2: it is
# node_modules/@pagefind/linux-x64/bin/pagefind_extended), the same for Pagefind: a copy of the
# site (its own search files aside) indexed by `pagefind --site COPY --glob '*/*.html'` (the
# district folders' pages: the department pages and the district's own few), served by
# bench/serve_nocache.py (no caching, each request logged), the same queries.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(200 2000)
cargo build --release --quiet -p budgetsite-gen && cargo build --release --quiet --example search_cost --example search_typing --example search_compare
cargo build --release --quiet
work=$(mktemp -d)
server=
trap '[ -z "$server" ] || kill "$server"; rm -rf "$work"' EXIT
for n in "${sizes[@]}"; do
  dir=$work/d$n
  target/release/gen_district --out "$dir" --departments "$n" --years "${YEARS:-2020,2021,2022}" --quirks some >/dev/null
  echo "== $n departments"
  for _ in 1 2 3; do
    TMPDIR=$work target/release/examples/search_cost "$dir"
  done
  site=$work/site$n
  target/release/budgetsite build --no-cache --input "$dir" --output "$site" >/dev/null 2>&1 || true
  find "$site/search" -type f -printf '%s %f\n' | awk '{s += $1; n++; if ($2 ~ /^[wx]/) {w += $1; c++}} END {printf "index: %d bytes in %d files; %d chunks (w, x) of %d bytes\n", s, n, c, w}'
  target/release/examples/search_typing "$site" 助学 满意度 资金支付及时率 "2021 培训" 量子纠缠
  if [ -n "${PAGEFIND:-}" ]; then
    copy=$work/pf$n
    mkdir -p "$copy" && (cd "$site" && tar --exclude=./search -cf - .) | (cd "$copy" && tar -xf -)
    /usr/bin/time -f 'pagefind: %e s, %M KB peak' "$PAGEFIND" --site "$copy" --glob '*/*.html' >/dev/null
    du -sb "$copy/pagefind" | awk '{printf "pagefind index: %d bytes\n", $1}'
    port=$((8700 + RANDOM % 200))
    python3 bench/serve_nocache.py "$copy" "$port" "$work/log$n" & server=$!
    sleep 1
    PAGEFIND_SITE=$copy PAGEFIND_LOG=$work/log$n target/release/examples/search_compare "$site" "http://127.0.0.1:$port/"
    kill "$server"; server=
  else
    target/release/examples/search_compare "$site"
  fi
done
