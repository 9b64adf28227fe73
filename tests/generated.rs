//! The reader and the rules against a generated district whose truth is known: every field of
//! every form read exactly (field accuracy), every planted rule found on its file (recall), and
//! nothing reported on a clean form (precision), with every quirk of the form in the mix.

mod common;
#[path = "../examples/gen_district/generator.rs"]
mod generator;

use budgetsite::ingest::IngestOptions;
use common::by_value;
use generator::{generate, GenOptions, Plant, QuirkLevel};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Leaf values of a JSON document by path (`income.total.budget`, `goals[0].name`, …).
fn leaves(v: &Value, path: String, out: &mut BTreeMap<String, Value>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                leaves(v, format!("{path}.{k}"), out);
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                leaves(v, format!("{path}[{i}]"), out);
            }
            if a.is_empty() {
                out.insert(path, Value::Array(Vec::new()));
            }
        }
        other => {
            out.insert(path, by_value(other));
        }
    }
}

struct Score {
    fields: usize,
    fields_right: usize,
    planted: usize,
    found: usize,
    clean_files: usize,
    clean_with_findings: Vec<String>,
    wrong_fields: Vec<String>,
}

fn score(options: &GenOptions) -> Score {
    let dir = tempfile::tempdir().unwrap();
    let truth = generate(options, dir.path()).unwrap();
    let batch = budgetsite::load(&[dir.path().to_path_buf()], &IngestOptions::default()).unwrap();
    let prefix = format!("{}/", dir.path().to_string_lossy().replace('\\', "/"));
    let by_file: BTreeMap<String, &budgetsite::ingest::FileOutcome> = batch
        .files
        .iter()
        .map(|f| (f.file.display.trim_start_matches(&prefix).to_owned(), f))
        .collect();
    let mut s = Score {
        fields: 0,
        fields_right: 0,
        planted: 0,
        found: 0,
        clean_files: 0,
        clean_with_findings: Vec::new(),
        wrong_fields: Vec::new(),
    };
    for t in &truth.files {
        let outcome = by_file
            .get(&t.path)
            .unwrap_or_else(|| panic!("{} was not read", t.path));
        let codes: BTreeSet<&str> = outcome
            .diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .collect();
        if t.planted.is_empty() {
            s.clean_files += 1;
            if !codes.is_empty() {
                s.clean_with_findings.push(format!("{}: {codes:?}", t.path));
            }
        }
        for code in &t.planted {
            s.planted += 1;
            if codes.contains(code.as_str()) {
                s.found += 1;
            }
        }
        let Some(expected) = &t.expected else {
            continue;
        };
        // Only forms without planted errors are promised to read exactly as generated.
        if !t.planted.is_empty() {
            continue;
        }
        let mut want = BTreeMap::new();
        leaves(
            &serde_json::to_value(expected).unwrap(),
            String::new(),
            &mut want,
        );
        let mut got = BTreeMap::new();
        if let Some(l) = &outcome.declaration {
            let v: Value = serde_json::from_str(&l.declaration.to_canonical_json()).unwrap();
            leaves(&v, String::new(), &mut got);
        }
        for (path, value) in &want {
            s.fields += 1;
            if got.get(path) == Some(value) {
                s.fields_right += 1;
            } else if s.wrong_fields.len() < 20 {
                s.wrong_fields.push(format!(
                    "{} {path}: want {value}, got {:?}",
                    t.path,
                    got.get(path)
                ));
            }
        }
    }
    s
}

#[test]
fn a_generated_district_with_every_quirk_reads_exactly_and_every_planted_rule_fires() {
    for quirks in [QuirkLevel::Some, QuirkLevel::All] {
        let options = GenOptions {
            seed: 7,
            departments: 30,
            years: vec![2020, 2021, 2022],
            quirks,
            plant: Plant::All,
            plant_count: 2,
            json_share: 15,
            ..GenOptions::default()
        };
        let s = score(&options);
        assert!(s.fields > 3_000, "{} fields only", s.fields);
        assert!(s.wrong_fields.is_empty(), "{:#?}", s.wrong_fields);
        assert_eq!(s.fields_right, s.fields);
        assert_eq!(s.found, s.planted, "rule recall");
        assert!(s.planted >= 17 * 2 - 2, "{} planted", s.planted);
        assert!(s.clean_files > 30, "{} clean files", s.clean_files);
        assert!(
            s.clean_with_findings.is_empty(),
            "{:#?}",
            s.clean_with_findings
        );
    }
}
