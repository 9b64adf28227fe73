//! Arbitrary bytes as a workbook (`.xlsx`; the bytes decide whether they are read as xlsx,
//! xls or ods): reading never panics nor exhausts memory, the rules run on whatever was read,
//! and the declaration survives its own canonical JSON. Seed it with real workbooks
//! (`seeds/workbook_reader/`): random bytes rarely make a zip.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| common::read_validate_roundtrip(data, "xlsx"));
