//! Arbitrary bytes as a text export (`.txt`): reading never panics, the rules run on whatever
//! was read, and a declaration read back from its own canonical JSON is the same declaration
//! (tests/roundtrip.rs promises this for the fixtures; here it must hold for every input).
//!
//! `FUZZ_SKIP_KNOWN=1` skips the round-trip check for inputs hitting an already-reported bug;
//! `FUZZ_ONLY_KNOWN=<name>` checks only inputs hitting that one (for `cargo fuzz tmin`).
#![no_main]

use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| common::read_validate_roundtrip(data, "txt"));
