//! Field accuracy of the reader on the provinces' layouts in every file format (issue 10):
//! generated forms of `hubei`, `hubei-pdf`, `fujian` and `hunan` as text export, Excel
//! "Unicode text" and `.xlsx`, plus the committed `.xls`/`.ods` fixtures that LibreOffice made
//! from generated `.xlsx` (`tests/fixtures/layouts/make.sh`), each read by the library and
//! compared leaf by leaf with the generator's truth. Prints the layout × format table.

use budgetsite_gen as generator;

use budgetsite::ingest::{FileOutcome, IngestOptions};
use generator::{generate, FileFormat, FormLayout, GenOptions, QuirkLevel};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// A JSON value with numbers in one decimal spelling (`100` = `100.00`).
fn by_value(v: &Value) -> Value {
    match v {
        Value::Number(n) => {
            let d: rust_decimal::Decimal = n.to_string().parse().expect("a decimal");
            Value::Number(d.normalize().to_string().parse().expect("a number"))
        }
        other => other.clone(),
    }
}

/// Leaf values by path (`expenditure.total.budget`, `goals[0].indicators[3].unit`, …); an
/// empty object or array is a leaf of its own, so a missing block is a wrong field.
fn leaves(v: &Value, path: String, out: &mut BTreeMap<String, Value>) {
    match v {
        Value::Object(m) if !m.is_empty() => {
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

#[derive(Default)]
struct Cell {
    files: usize,
    fields: usize,
    right: usize,
    findings: usize,
}

#[derive(Default)]
struct Table {
    cells: BTreeMap<(String, String), Cell>,
    wrong: Vec<String>,
}

impl Table {
    /// Scores one file: every leaf of the truth and of what was read (a field read that the
    /// truth does not have is wrong too), and whether a clean form drew any finding.
    fn add(&mut self, layout: &str, format: &str, file: &str, want: &Value, outcome: &FileOutcome) {
        let cell = self
            .cells
            .entry((layout.to_owned(), format.to_owned()))
            .or_default();
        cell.files += 1;
        let mut w = BTreeMap::new();
        leaves(want, String::new(), &mut w);
        let mut g = BTreeMap::new();
        if let Some(l) = &outcome.declaration {
            let v: Value = serde_json::from_str(&l.declaration.to_canonical_json()).unwrap();
            leaves(&v, String::new(), &mut g);
        }
        for path in w.keys().chain(g.keys().filter(|k| !w.contains_key(*k))) {
            cell.fields += 1;
            if w.get(path) == g.get(path) {
                cell.right += 1;
            } else {
                self.wrong.push(format!(
                    "{file} {path}: want {:?}, got {:?}",
                    w.get(path),
                    g.get(path)
                ));
            }
        }
        if !outcome.diagnostics.is_empty() {
            cell.findings += 1;
            for d in &outcome.diagnostics {
                self.wrong.push(format!(
                    "{file}: finding on a clean form: {} {}",
                    d.code.as_str(),
                    d.message
                ));
            }
        }
    }

    fn print(&self) -> (usize, usize) {
        println!("layout     format        files  fields   right  accuracy  files with findings");
        let (mut fields, mut right) = (0, 0);
        for ((layout, format), c) in &self.cells {
            println!(
                "{layout:<10} {format:<12} {:>6} {:>7} {:>7}  {:>7.2}%  {}",
                c.files,
                c.fields,
                c.right,
                100.0 * c.right as f64 / c.fields.max(1) as f64,
                c.findings
            );
            fields += c.fields;
            right += c.right;
        }
        println!(
            "overall: {right}/{fields} fields = {:.3}%",
            100.0 * right as f64 / fields.max(1) as f64
        );
        (fields, right)
    }
}

fn load(dir: &Path) -> BTreeMap<String, FileOutcome> {
    let batch = budgetsite::load(&[dir.to_path_buf()], &IngestOptions::default()).unwrap();
    let prefix = format!("{}/", dir.to_string_lossy().replace('\\', "/"));
    batch
        .files
        .into_iter()
        .map(|f| (f.file.display.trim_start_matches(&prefix).to_owned(), f))
        .collect()
}

#[test]
fn every_layout_in_every_format_reads_at_least_99_5_percent_of_fields() {
    let options = GenOptions {
        seed: 21,
        departments: 60,
        years: vec![2021, 2022],
        quirks: QuirkLevel::Some,
        layouts: FormLayout::ALL.to_vec(),
        formats: FileFormat::ALL.to_vec(),
        district: "表式区".to_owned(),
        ..GenOptions::default()
    };
    let dir = tempfile::tempdir().unwrap();
    let truth = generate(&options, dir.path()).unwrap();
    let outcomes = load(dir.path());
    let mut table = Table::default();
    for f in &truth.files {
        let want = serde_json::to_value(f.expected.as_ref().expect("clean forms only")).unwrap();
        let layout = want["layout"]
            .as_str()
            .expect("every form names its layout")
            .to_owned();
        let outcome = outcomes
            .get(&f.path)
            .unwrap_or_else(|| panic!("{} not read", f.path));
        table.add(&layout, &f.format, &f.path, &want, outcome);
    }

    // The committed workbooks saved by LibreOffice (.xls, .ods) and their sources (.xlsx).
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/layouts");
    let mut names: Vec<String> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| [".xlsx", ".xls", ".ods"].iter().any(|x| n.ends_with(x)))
        .collect();
    names.sort();
    let mut fixture_files = 0;
    for name in &names {
        // One at a time: the three saves of a form are duplicates of each other.
        let path = fixtures.join(name);
        let batch =
            budgetsite::load(std::slice::from_ref(&path), &IngestOptions::default()).unwrap();
        let outcome = &batch.files[0];
        let (stem, ext) = name.rsplit_once('.').unwrap();
        let text = std::fs::read_to_string(fixtures.join(format!("{stem}.expected.json")))
            .unwrap_or_else(|_| panic!("{name} has no {stem}.expected.json"));
        let want: Value = serde_json::from_str(&text).unwrap();
        let layout = want["layout"].as_str().unwrap().to_owned();
        table.add(&layout, ext, name, &want, outcome);
        fixture_files += 1;
    }

    let (fields, right) = table.print();
    let wrong: Vec<&String> = table.wrong.iter().collect();
    assert!(
        truth.files.len() == 120 && fixture_files == 12,
        "{} files",
        truth.files.len()
    );
    assert!(wrong.is_empty(), "{} wrong:\n{wrong:#?}", wrong.len());
    assert!(
        right as f64 >= 0.995 * fields as f64,
        "field accuracy {right}/{fields} below 99.5%"
    );
    for ((layout, format), c) in table
        .cells
        .iter()
        .filter(|((_, f), _)| !matches!(f.as_str(), "xls" | "ods"))
    {
        assert!(c.files >= 3, "{layout} × {format}: only {} files", c.files);
    }
}

/// The real sample saved by LibreOffice as .xlsx and as .xls (tests/fixtures/sample/
/// make_workbooks.sh) converts to the sample's expected JSON.
#[test]
fn the_sample_saved_as_a_workbook_converts_to_the_expected_json() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sample");
    let expected: Value = {
        let text =
            std::fs::read_to_string(sample.join("武汉市新洲区总工会-2020.expected.json")).unwrap();
        let mut v: Value = serde_json::from_str(&text).unwrap();
        v["layout"] = Value::String("hubei".into());
        v
    };
    let mut want = BTreeMap::new();
    leaves(&expected, String::new(), &mut want);
    for ext in ["xlsx", "xls"] {
        let file = sample.join(format!("武汉市新洲区总工会-2020.{ext}"));
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_budgetsite"))
            .arg("convert")
            .arg(&file)
            .output()
            .unwrap();
        let got: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{ext}: convert printed no JSON ({e})"));
        let mut g = BTreeMap::new();
        leaves(&got, String::new(), &mut g);
        let differ: Vec<String> = want
            .keys()
            .chain(g.keys())
            .filter(|k| want.get(*k) != g.get(*k))
            .map(|k| format!("{k}: want {:?}, got {:?}", want.get(k), g.get(k)))
            .collect();
        // .xls carries no number formats for the reader: its shares are read as the
        // fractions behind a percent format (layouts::money), and must come out exact too.
        assert!(differ.is_empty(), "{ext}: {differ:#?}");
        assert!(
            out.status.success(),
            "{ext}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The bundled county of spreadsheets (examples/gen_district/workbook_district.sh) has every
/// layout and the three workbook formats, and checks clean.
#[test]
fn the_bundled_county_of_spreadsheets_checks_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("submissions/示例县");
    let mut kinds = std::collections::BTreeSet::new();
    let mut layouts = std::collections::BTreeSet::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        let path = e.unwrap().path();
        kinds.insert(path.extension().unwrap().to_string_lossy().into_owned());
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_budgetsite"))
            .arg("convert")
            .arg(&path)
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        layouts.insert(v["layout"].as_str().unwrap().to_owned());
    }
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["ods", "xls", "xlsx"]
    );
    assert_eq!(layouts.len(), 4, "{layouts:?}");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_budgetsite"))
        .args(["check", "--format", "json", "submissions/示例县"])
        .current_dir(root)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["diagnostics"],
        Value::Array(Vec::new()),
        "{report:#}"
    );
    assert_eq!(out.status.code(), Some(0));
}
