//! Arbitrary bytes as canonical JSON (`.json`): reading never panics and the rules run on
//! whatever was read. A declaration read from JSON also survives a trip through its own
//! canonical JSON unchanged (a canonical file "reads back to the same declaration").
//!
//! `FUZZ_SKIP_KNOWN=1` skips that check for inputs hitting an already-reported bug;
//! `FUZZ_ONLY_KNOWN=<name>` checks only inputs hitting that one (for `cargo fuzz tmin`).
#![no_main]

use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| common::read_validate_roundtrip(data, "json"));
