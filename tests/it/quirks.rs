//! Every quirk of spec section 1 in its own fixture (tests/fixtures/quirks, made from the real
//! sample by tests/fixtures/make_quirks.py): each reads to the same declaration and the same
//! findings as the sample.

use crate::common;
use common::*;
use serde_json::Value;

fn quirk_files() -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(fixtures().join("quirks"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.to_string_lossy().ends_with(".expected.json"))
        .collect();
    v.sort();
    v
}

#[test]
fn every_quirk_fixture_reads_to_its_expected_declaration() {
    let files = quirk_files();
    assert!(files.len() >= 13, "{files:?}");
    for f in files {
        let stem = f.file_stem().unwrap().to_string_lossy().into_owned();
        let own = fixtures()
            .join("quirks")
            .join(format!("{stem}.expected.json"));
        let expected: Value = if own.exists() {
            serde_json::from_str(&std::fs::read_to_string(own).unwrap()).unwrap()
        } else {
            expected_json()
        };
        let o = bin().arg("convert").arg(&f).output().unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "{stem}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let got: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_json_eq(&got, &expected, &stem);
    }
}

#[test]
fn every_quirk_fixture_has_the_sample_findings() {
    for f in quirk_files() {
        let dir = f.parent().unwrap();
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let (code, report) = check_json(dir, &[&name]);
        assert_eq!(code, 0, "{name}");
        let mut expected = sample_code_counts();
        if name.ends_with(".json") {
            // Canonical JSON holds no placeholder rows: they are not indicators.
            expected.retain(|(c, _)| c != "placeholder-row");
        }
        assert_eq!(code_counts(&report), expected, "{name}");
    }
}

#[test]
fn lines_are_counted_in_the_file_as_saved() {
    // CRLF and UTF-16 do not shift line numbers: the placeholder rows stay on lines 60 and 61.
    for name in ["crlf.txt", "utf16le-bom.txt", "gb18030.txt"] {
        let (_, report) = check_json(&fixtures().join("quirks"), &[name]);
        let lines: Vec<u64> = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["code"] == "placeholder-row")
            .map(|d| d["line"].as_u64().unwrap())
            .collect();
        assert_eq!(lines, [60, 61], "{name}");
    }
}

#[test]
fn identity_values_written_in_the_label_cell_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let text = sample_text()
        .replace(
            "部门名称\t武汉市新洲区总工会",
            "部门名称：武汉市新洲区总工会",
        )
        .replace(
            "填报人\t胡杰华\t联系电话\t89353913",
            "填报人：胡杰华\t联系电话: 89353913",
        );
    let p = write(dir.path(), "inline.txt", text);
    let o = bin().arg("convert").arg(&p).output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let got: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_json_eq(&got, &expected_json(), "inline identity cells");
}
