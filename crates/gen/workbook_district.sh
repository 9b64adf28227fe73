#!/bin/sh
# Rebuilds the bundled district of spreadsheets, submissions/示例县/ (issue 10): four generated
# departments, one per layout (seed 4: 教育局 hunan, 卫生健康局 hubei, 民政局 hubei-pdf,
# 农业农村局 fujian), 2020–2022, written as .xlsx by the generator; some are then saved once
# as .xls or .ods by LibreOffice, as older offices hand them in.
# Needs LibreOffice (`apt-get install libreoffice-calc-nogui`). Run from the repository root:
#   sh crates/gen/workbook_district.sh
# Which files become .xls/.ods is chosen, not random, so that every layout appears in an old
# format: LibreOffice keeps a percent-formatted share as a fraction, which budgetsite reads as
# the percentage behind it (src/ingest/layouts/money.rs).
set -eu
out=submissions/示例县
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cargo run --release --quiet -p budgetsite-gen -- --out "$tmp" --departments 4 \
    --years 2020,2021,2022 --layouts all --formats xlsx --seed 4 --district 示例县
rm -rf "$out"
mkdir -p "$out"
cp "$tmp"/示例县/*.xlsx "$out/"
convert() { # convert NAME KIND: NAME.xlsx becomes NAME.KIND
    soffice --headless --convert-to "$2" --outdir "$out" "$out/$1.xlsx" >/dev/null
    rm "$out/$1.xlsx"
}
convert 示例县教育局-2020 xls
convert 示例县教育局-2021 ods
convert 示例县农业农村局-2020 xls
convert 示例县农业农村局-2021 ods
convert 示例县卫生健康局-2021 xls
convert 示例县卫生健康局-2022 ods
convert 示例县民政局-2021 xls
ls "$out"
