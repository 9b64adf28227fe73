//! Text → canonical JSON → model: a declaration read back from its own JSON is the same
//! declaration, for the sample and every quirk fixture.

use crate::common;
use budgetsite::ingest::{parse_bytes, SourceFile};
use common::*;

fn read(name: &str, bytes: &[u8]) -> budgetsite::ingest::FileOutcome {
    let file = SourceFile {
        display: name.to_owned(),
        path: name.into(),
    };
    parse_bytes(&file, bytes)
}

#[test]
fn text_to_json_to_model_is_the_identity() {
    let mut inputs = vec![sample_path()];
    for e in std::fs::read_dir(fixtures().join("quirks")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "txt") {
            inputs.push(p);
        }
    }
    assert!(inputs.len() > 10);
    for path in inputs {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let from_text = read(&name, &std::fs::read(&path).unwrap());
        let a = from_text.declaration.expect("text reads").declaration;
        let json = a.to_canonical_json();
        let from_json = read("back.json", json.as_bytes());
        assert!(
            from_json.diagnostics.is_empty(),
            "{name}: {:?}",
            from_json.diagnostics
        );
        let b = from_json.declaration.expect("json reads").declaration;
        assert_eq!(a, b, "{name}");
        // And the JSON of the JSON is byte-identical.
        assert_eq!(json, b.to_canonical_json(), "{name}");
    }
}

#[test]
fn json_findings_match_text_findings_apart_from_rows_json_cannot_hold() {
    let text = read("s.txt", sample_text().as_bytes());
    let decl = text.declaration.as_ref().unwrap();
    let json = decl.declaration.to_canonical_json();
    let batch_dir = tempfile::tempdir().unwrap();
    write(batch_dir.path(), "s.json", &json);
    let (_, report) = check_json(batch_dir.path(), &["s.json"]);
    let mut expected = sample_code_counts();
    expected.retain(|(c, _)| c != "placeholder-row");
    assert_eq!(code_counts(&report), expected);
}
