//! Arbitrary bytes as canonical JSON (`.json`): reading never panics and the rules run on
//! whatever was read. A declaration read from JSON also survives a trip through its own
//! canonical JSON unchanged (a canonical file "reads back to the same declaration").
//!
//! `FUZZ_SKIP_KNOWN=1` skips that check for inputs hitting an already-reported bug;
//! `FUZZ_ONLY_KNOWN=<name>` checks only inputs hitting that one (for `cargo fuzz tmin`).
#![no_main]

use budgetsite::ingest::{parse_bytes, SourceFile};
use libfuzzer_sys::fuzz_target;

mod common;
use common::{check_roundtrip, first_difference, known_roundtrip_bug};

fuzz_target!(|data: &[u8]| {
    let file = SourceFile {
        display: "fuzz.json".to_owned(),
        path: "fuzz.json".into(),
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
    let again = parse_bytes(&file, json.as_bytes());
    let Some(again) = again.declaration else {
        panic!("canonical JSON does not read back: {:?}\n{json}", again.diagnostics);
    };
    if *decl != again.declaration {
        panic!(
            "JSON -> model -> canonical JSON -> model changed {}\nJSON:\n{json}",
            first_difference(decl, &again.declaration)
        );
    }
});
