//! Arbitrary bytes as a text export (`.txt`): reading never panics, the rules run on whatever
//! was read, and a declaration read back from its own canonical JSON is the same declaration
//! (tests/roundtrip.rs promises this for the fixtures; here it must hold for every input).
//!
//! With `FUZZ_SKIP_KNOWN=1` in the environment, inputs that hit an already-reported round-trip
//! bug (see regressions/README.md) skip the round-trip check, so a run can find new ones;
//! `FUZZ_ONLY_KNOWN=<name>` checks only inputs hitting that one (for `cargo fuzz tmin`).
#![no_main]

use budgetsite::ingest::{parse_bytes, SourceFile};
use libfuzzer_sys::fuzz_target;

mod common;
use common::{check_roundtrip, first_difference, known_roundtrip_bug};

fuzz_target!(|data: &[u8]| {
    let file = SourceFile {
        display: "fuzz.txt".to_owned(),
        path: "fuzz.txt".into(),
    };
    let outcome = parse_bytes(&file, data);
    let Some(loaded) = outcome.declaration else {
        return;
    };
    let decl = &loaded.declaration;
    let _ = budgetsite::validate::validate(decl, &loaded.source, &file.display);
    let json = decl.to_canonical_json();

    if !check_roundtrip(known_roundtrip_bug(decl)) {
        return;
    }
    let back_file = SourceFile {
        display: "back.json".to_owned(),
        path: "back.json".into(),
    };
    let back = parse_bytes(&back_file, json.as_bytes());
    let Some(again) = back.declaration else {
        panic!(
            "canonical JSON of a text declaration does not read back: {:?}\n{json}",
            back.diagnostics
        );
    };
    if *decl != again.declaration {
        panic!(
            "round trip text -> canonical JSON -> model changed {}\ndiagnostics reading the JSON: {:?}\nJSON:\n{json}",
            first_difference(decl, &again.declaration),
            back.diagnostics
        );
    }
    // And the JSON of the JSON is byte-identical.
    assert_eq!(json, again.declaration.to_canonical_json(), "JSON of the JSON differs");
});
