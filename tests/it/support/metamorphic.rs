//! The metamorphic harness (issue #18), shared by `tests/it/metamorphic.rs` (fixed seeds, a
//! sample of the cases) and `examples/metamorphic.rs` (many seeds, every case; run by
//! `bench/metamorphic.sh`). A case is a source form, a transformation (or a random composition
//! of them) and a format; it passes when the reader gives the transformed file, saved in that
//! format, the canonical JSON it gives the untransformed text export. A source is a
//! declaration or a self-evaluation (issue #19, `FormKind`); a transformation that means
//! nothing for a kind (`Transform::skip_reason`) is no case of it.

use budgetsite::ingest::{parse_all, SourceFile};
use budgetsite_gen::metamorphic::transforms::compose;
use budgetsite_gen::metamorphic::{FormKind, OutFormat, Rng, Transform, Workbook};
use serde_json::Value;
use std::path::Path;

/// A form to transform: where it came from, its kind, its decoded text export and the
/// canonical JSON the reader makes of its original bytes.
pub struct Source {
    pub name: String,
    pub kind: FormKind,
    pub text: String,
    pub reference: Value,
}

/// What a case tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    One(Transform),
    /// 2–4 transformations drawn by the case's seed.
    Composition,
}

impl Case {
    pub fn name(self) -> String {
        match self {
            Case::One(t) => t.name(),
            Case::Composition => "composition".to_owned(),
        }
    }

    /// Every case kind, in the matrix's order.
    pub fn all() -> Vec<Case> {
        let mut v: Vec<Case> = Transform::all().into_iter().map(Case::One).collect();
        v.push(Case::Composition);
        v
    }

    /// The case kinds of forms of `kind`: the transformations that apply to it (the others
    /// say why in `Transform::skip_reason`) and the composition.
    pub fn all_for(kind: FormKind) -> Vec<Case> {
        let mut v: Vec<Case> = Transform::all_for(kind)
            .into_iter()
            .map(Case::One)
            .collect();
        v.push(Case::Composition);
        v
    }

    fn index(self) -> u64 {
        match self {
            Case::One(t) => Transform::all()
                .iter()
                .position(|x| *x == t)
                .expect("listed") as u64,
            Case::Composition => 1000,
        }
    }
}

pub enum Outcome {
    Pass,
    /// The form has nothing this transformation changes, or the format cannot show it
    /// (another sheet in a text export).
    NotApplicable,
    /// What differed, for a person: the case, the first differing JSON path, both values.
    Fail(String),
}

/// The folders of bundled text exports: the forms under `submissions/` and the reader's text
/// fixtures.
pub const BUNDLED: &[&str] = &[
    "submissions",
    "tests/fixtures/sample",
    "tests/fixtures/quirks",
    "tests/fixtures/layout-pages",
];

/// Every declaration's text export bundled with the project (`BUNDLED`).
pub fn bundled(root: &Path) -> Vec<(String, Vec<u8>)> {
    bundled_of(root, FormKind::Declaration)
}

/// Every self-evaluation's text export bundled with the project: those of the example
/// district under `submissions/` and the reader's fixtures (`BUNDLED`, `tests/fixtures/self_eval`).
pub fn bundled_evaluations(root: &Path) -> Vec<(String, Vec<u8>)> {
    bundled_of(root, FormKind::SelfEvaluation)
}

/// The text exports of forms of `kind` bundled with the project.
pub fn bundled_of(root: &Path, kind: FormKind) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let dirs: &[&str] = match kind {
        FormKind::Declaration => BUNDLED,
        FormKind::SelfEvaluation => &["submissions", "tests/fixtures/self_eval"],
    };
    for dir in dirs {
        for e in walk(&root.join(dir)) {
            if e.extension().is_some_and(|x| x == "txt") {
                let bytes = std::fs::read(&e).expect("readable fixture");
                // The forms of `kind` only: a self-evaluation (issue 19) is another form.
                let decoded = budgetsite::ingest::decode::decode(&bytes).expect("a text export");
                let grid = budgetsite::ingest::grid::Grid::from_text(&decoded.text);
                let evaluation = budgetsite::ingest::self_eval::detect(&grid).is_some();
                if evaluation != (kind == FormKind::SelfEvaluation) {
                    continue;
                }
                let name = e
                    .strip_prefix(root)
                    .unwrap_or(&e)
                    .to_string_lossy()
                    .into_owned();
                files.push((name, bytes));
            }
        }
    }
    files.sort();
    files
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Clean forms of every layout made by the generator with `seed`, as text exports.
pub fn generated(seed: u64, departments: usize) -> Vec<(String, Vec<u8>)> {
    use budgetsite_gen::{generate, FileFormat, FormLayout, GenOptions, QuirkLevel};
    let dir = tempfile::tempdir().expect("temp dir");
    let options = GenOptions {
        seed,
        district: "变形区".to_owned(),
        departments,
        years: vec![2021],
        quirks: QuirkLevel::Some,
        layouts: FormLayout::ALL.to_vec(),
        formats: vec![FileFormat::Txt],
        ..GenOptions::default()
    };
    let truth = generate(&options, dir.path()).expect("generated district");
    let mut files: Vec<(String, Vec<u8>)> = truth
        .files
        .iter()
        .filter(|f| f.path.ends_with(".txt"))
        .map(|f| {
            let bytes = std::fs::read(dir.path().join(&f.path)).expect("generated file");
            (format!("generated(seed {seed})/{}", f.path), bytes)
        })
        .collect();
    files.sort();
    files
}

/// Self-evaluations of every layout made by the generator with `seed` (text exports, for
/// about `departments` clean declarations, half of them `sichuan`), as text exports. Some have
/// the merged-cell shifts of a text export (rows that lost their leading empty cell).
pub fn generated_evaluations(seed: u64, departments: usize) -> Vec<(String, Vec<u8>)> {
    use budgetsite_gen::self_eval::EvalOptions;
    use budgetsite_gen::{generate, FileFormat, FormLayout, GenOptions, QuirkLevel};
    let dir = tempfile::tempdir().expect("temp dir");
    let options = GenOptions {
        seed,
        district: "变形区".to_owned(),
        departments,
        years: vec![2021],
        quirks: QuirkLevel::None,
        layouts: FormLayout::ALL.to_vec(),
        formats: vec![FileFormat::Txt],
        evaluations: EvalOptions {
            share: 100,
            sichuan_share: 50,
            ..EvalOptions::default()
        },
        ..GenOptions::default()
    };
    let truth = generate(&options, dir.path()).expect("generated district");
    let mut files: Vec<(String, Vec<u8>)> = truth
        .self_evaluations
        .iter()
        .map(|e| {
            let bytes = std::fs::read(dir.path().join(&e.path)).expect("generated file");
            (format!("generated(seed {seed})/{}", e.path), bytes)
        })
        .collect();
    files.sort();
    files
}

/// Reads each file as the reference; files the reader makes no form of are left out
/// (returned apart, by name).
pub fn prepare(files: Vec<(String, Vec<u8>)>) -> (Vec<Source>, Vec<String>) {
    let mut sources = Vec::new();
    let mut unread = Vec::new();
    for (name, bytes) in files {
        match read(&bytes, "reference.txt") {
            Ok(reference) => sources.push(Source {
                text: budgetsite_gen::metamorphic::model::decode(&bytes),
                kind: if reference["schema"] == "self-evaluation/v1" {
                    FormKind::SelfEvaluation
                } else {
                    FormKind::Declaration
                },
                name,
                reference,
            }),
            Err(_) => unread.push(name),
        }
    }
    (sources, unread)
}

/// The canonical JSON of the one form in `bytes` (a declaration or a self-evaluation, what
/// `budgetsite convert` prints), numbers by value.
pub fn read(bytes: &[u8], name: &str) -> Result<Value, String> {
    let file = SourceFile {
        display: name.to_owned(),
        path: name.into(),
    };
    let outcomes = parse_all(&file, bytes);
    let forms: Vec<(String, Option<String>)> = outcomes
        .iter()
        .filter_map(|o| {
            if let Some(l) = &o.declaration {
                Some((l.declaration.to_canonical_json(), l.sheet.clone()))
            } else {
                o.evaluation
                    .as_ref()
                    .map(|e| (e.form.to_canonical_json(), e.sheet.clone()))
            }
        })
        .collect();
    match forms.as_slice() {
        [(one, _)] => {
            let json: Value = serde_json::from_str(one).map_err(|e| e.to_string())?;
            Ok(by_value(&json))
        }
        [] => Err(format!(
            "no form read: {}",
            outcomes
                .iter()
                .flat_map(|o| &o.diagnostics)
                .map(|d| format!("[{}] {}", d.code.as_str(), d.message))
                .collect::<Vec<_>>()
                .join("; ")
        )),
        many => Err(format!(
            "{} forms read (sheets {:?})",
            many.len(),
            many.iter()
                .map(|(_, sheet)| sheet.clone())
                .collect::<Vec<_>>()
        )),
    }
}

/// Runs one case. The transformation's random choices depend on the seed, the source and the
/// case, not on the format, so a case fails or passes in every format on the same sheet.
pub fn run(source: &Source, index: usize, case: Case, format: OutFormat, seed: u64) -> Outcome {
    match build(source, index, case, format, seed) {
        Ok((label, bytes)) => check(source, &label, &bytes, format),
        Err(outcome) => outcome,
    }
}

/// The case's file: a label naming form, transformations, format and seed, and its bytes
/// (`Err(NotApplicable)` when there is no such case).
pub fn build(
    source: &Source,
    index: usize,
    case: Case,
    format: OutFormat,
    seed: u64,
) -> Result<(String, Vec<u8>), Outcome> {
    let mut rng = Rng::derive(&[seed, index as u64, case.index()]);
    let mut book = Workbook::from_export_of(source.kind, &source.text);
    let what = match case {
        Case::One(t) => {
            if t.skip_reason(source.kind).is_some()
                || (format.is_text() && t.other_sheets())
                || !t.apply(&mut book, &mut rng)
            {
                return Err(Outcome::NotApplicable);
            }
            t.name()
        }
        Case::Composition => {
            compose(&mut book, &mut rng, format.is_text()).ok_or(Outcome::NotApplicable)?
        }
    };
    let label = format!(
        "form {} × {what} × {} (seed {seed})",
        source.name,
        format.name()
    );
    // A form the format cannot hold (a character GB18030 lacks) is no case.
    let bytes = format.write(&book).map_err(|_| Outcome::NotApplicable)?;
    Ok((label, bytes))
}

/// Reads a case's bytes and compares its JSON with the source's.
pub fn check(source: &Source, label: &str, bytes: &[u8], format: OutFormat) -> Outcome {
    match read(bytes, &format!("case.{}", format.extension())) {
        Ok(got) => match first_difference(&source.reference, &got, "$") {
            None => Outcome::Pass,
            Some(diff) => Outcome::Fail(format!("{label}: {diff}")),
        },
        Err(e) => Outcome::Fail(format!("{label}: {e}")),
    }
}

/// The first place where `got` differs from `want`, as a JSON path with both values.
pub fn first_difference(want: &Value, got: &Value, path: &str) -> Option<String> {
    match (want, got) {
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            keys.into_iter().find_map(|k| {
                let null = Value::Null;
                first_difference(
                    a.get(k).unwrap_or(&null),
                    b.get(k).unwrap_or(&null),
                    &format!("{path}.{k}"),
                )
            })
        }
        (Value::Array(a), Value::Array(b)) => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (x, y))| first_difference(x, y, &format!("{path}[{i}]")))
            .or_else(|| {
                (a.len() != b.len()).then(|| format!("{path}: {} items, want {}", b.len(), a.len()))
            }),
        _ if want == got => None,
        _ => Some(format!("{path}: got {}, want {}", short(got), short(want))),
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 80 {
        format!("{}…", s.chars().take(80).collect::<String>())
    } else {
        s
    }
}

/// Numbers in one decimal spelling, so they compare by value (`100` equals `100.0`).
pub fn by_value(v: &Value) -> Value {
    match v {
        Value::Number(n) => {
            let d: rust_decimal::Decimal = n.to_string().parse().expect("a JSON number");
            Value::Number(d.normalize().to_string().parse().expect("a decimal"))
        }
        Value::Array(a) => Value::Array(a.iter().map(by_value).collect()),
        Value::Object(m) => {
            Value::Object(m.iter().map(|(k, v)| (k.clone(), by_value(v))).collect())
        }
        other => other.clone(),
    }
}
