//! Scores budgetsite's reader and rules against a generated district's truth: field accuracy
//! (every leaf of every clean form's canonical JSON), rule recall (planted codes found on their
//! files) and precision (clean forms with no finding). Shared by `tests/generated.rs` and the
//! `score_district` example, included with `#[path]`.

use budgetsite::ingest::FileOutcome;
use budgetsite_gen::Truth;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Default)]
pub struct Score {
    pub files: usize,
    pub fields: usize,
    pub fields_right: usize,
    pub planted: usize,
    pub found: usize,
    pub clean_files: usize,
    pub clean_with_findings: Vec<String>,
    pub missed: Vec<String>,
    pub wrong_fields: Vec<String>,
}

// The ratios are printed by the score_district example; the test asserts on the counts.
#[allow(dead_code)]
impl Score {
    pub fn field_accuracy(&self) -> f64 {
        self.fields_right as f64 / self.fields.max(1) as f64
    }
    pub fn recall(&self) -> f64 {
        self.found as f64 / self.planted.max(1) as f64
    }
}

/// A JSON value with numbers in one canonical decimal spelling (`100` = `100.0`).
fn by_value(v: &Value) -> Value {
    match v {
        Value::Number(n) => {
            let d: rust_decimal::Decimal = n.to_string().parse().expect("a decimal");
            Value::Number(d.normalize().to_string().parse().expect("a number"))
        }
        other => other.clone(),
    }
}

/// Leaf values of a JSON document by path (`income.total.budget`, `goals[0].name`, …).
fn leaves(v: &Value, path: String, out: &mut BTreeMap<String, Value>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                leaves(v, format!("{path}.{k}"), out);
            }
        }
        Value::Array(a) if !a.is_empty() => {
            for (i, v) in a.iter().enumerate() {
                leaves(v, format!("{path}[{i}]"), out);
            }
        }
        other => {
            out.insert(path, by_value(other));
        }
    }
}

/// Scores the outcomes of reading the district at `prefix` (the display path of its root,
/// with a trailing `/`) against `truth`.
pub fn score(truth: &Truth, outcomes: &[FileOutcome], prefix: &str) -> Score {
    let by_file: BTreeMap<&str, &FileOutcome> = outcomes
        .iter()
        .map(|f| (f.file.display.trim_start_matches(prefix), f))
        .collect();
    let mut s = Score::default();
    for t in &truth.files {
        s.files += 1;
        let Some(outcome) = by_file.get(t.path.as_str()) else {
            s.missed.push(format!("{} was not read", t.path));
            continue;
        };
        let codes: BTreeSet<&str> = outcome
            .diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .collect();
        for code in &t.planted {
            s.planted += 1;
            if codes.contains(code.as_str()) {
                s.found += 1;
            } else {
                s.missed.push(format!("{}: {code}", t.path));
            }
        }
        if !t.planted.is_empty() {
            continue;
        }
        s.clean_files += 1;
        if !codes.is_empty() {
            s.clean_with_findings.push(format!("{}: {codes:?}", t.path));
        }
        let Some(expected) = &t.expected else {
            continue;
        };
        let mut want = BTreeMap::new();
        leaves(
            &serde_json::to_value(expected).expect("serialisable"),
            String::new(),
            &mut want,
        );
        let mut got = BTreeMap::new();
        if let Some(l) = &outcome.declaration {
            let v: Value = serde_json::from_str(&l.declaration.to_canonical_json()).expect("json");
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
