//! The downloads as tools read them: every `datapackage.json` (the site's and each district's)
//! is valid under `frictionless validate` (Python frictionless 5: schemas, types, primary and
//! foreign keys checked against the files' rows) and lists every CSV and JSON download. Needs
//! Python with frictionless (`.ci/run` installs it, pinned); fails in CI without it, unless
//! `BUDGETSITE_SKIP_PYTHON=1` says to skip (which is then printed on stderr).

use crate::common;
use budgetsite_gen::{generate, FormLayout, GenOptions, Plant, QuirkLevel};
use common::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const PYTHON_TOOLS: &str = "pip install frictionless==5.18.1 feedparser==6.0.11";

/// Whether `python3` can import `module`, or the test is skipped (None).
pub fn python_with(module: &str) -> Option<()> {
    let ok = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if skip_without(
        ok,
        &format!("Python with {module}"),
        "BUDGETSITE_SKIP_PYTHON",
        PYTHON_TOOLS,
    ) {
        return None;
    }
    Some(())
}

/// `frictionless validate` on a package: its JSON report.
fn validate(package: &Path) -> Value {
    let o = Command::new("python3")
        .args(["-m", "frictionless", "validate", "--json"])
        .arg(package)
        .output()
        .unwrap();
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "{}: frictionless gave no report ({e}): {}",
            package.display(),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

fn errors(report: &Value) -> Vec<String> {
    let mut out: Vec<String> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].to_string())
        .collect();
    for t in report["tasks"].as_array().unwrap() {
        for e in t["errors"].as_array().unwrap() {
            out.push(format!("{}: {}", t["place"], e["message"]));
        }
    }
    out
}

/// A generated district with every layout, quirk and planted error, built into `dir`/public.
pub fn generated_site(dir: &Path) -> PathBuf {
    let input = dir.join("in");
    generate(
        &GenOptions {
            seed: 11,
            departments: 10,
            years: vec![2021, 2022, 2023],
            quirks: QuirkLevel::All,
            plant: Plant::All,
            layouts: FormLayout::ALL.to_vec(),
            json_share: 20,
            renames: 1,
            singletons: 2,
            ..GenOptions::default()
        },
        &input,
    )
    .unwrap();
    let public = dir.join("public");
    let o = bin()
        .args(["build", "--no-cache", "--input"])
        .arg(&input)
        .arg("--output")
        .arg(&public)
        .current_dir(dir)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    public
}

/// The CSV and JSON downloads under `folder` of the site (relative to it).
fn downloads(public: &Path, folder: &str) -> BTreeSet<String> {
    tree(&public.join(folder))
        .into_keys()
        .filter(|k| k.ends_with(".csv") || k.ends_with(".json"))
        .filter(|k| !k.ends_with("datapackage.json"))
        .collect()
}

fn check_packages(public: &Path) -> usize {
    let site = tree(public);
    let packages: Vec<&String> = site
        .keys()
        .filter(|k| k.ends_with("datapackage.json"))
        .collect();
    assert!(packages.contains(&&"datapackage.json".to_owned()));
    for rel in &packages {
        let folder = rel.trim_end_matches("datapackage.json");
        let package: Value = serde_json::from_slice(&site[*rel]).unwrap();
        let resources = package["resources"].as_array().unwrap();
        // Every CSV and JSON download of the folder is a resource, and nothing else is.
        let listed: BTreeSet<String> = resources
            .iter()
            .map(|r| r["path"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(listed, downloads(public, folder), "{rel}");
        for r in resources {
            let path = r["path"].as_str().unwrap();
            assert!(!path.contains("..") && !path.starts_with('/'), "{path}");
            if !path.ends_with(".csv") {
                assert_eq!(r["format"], "json", "{rel}: {path}");
                continue;
            }
            // The schema names the file's columns in order, with their units and a title.
            let text = String::from_utf8_lossy(&site[&format!("{folder}{path}")]).into_owned();
            let header: Vec<&str> = text
                .trim_start_matches('\u{feff}')
                .lines()
                .next()
                .unwrap()
                .split(',')
                .collect();
            let fields = r["schema"]["fields"].as_array().unwrap();
            let names: Vec<&str> = fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
            assert_eq!(names, header, "{rel}: {path}");
            for f in fields {
                let name = f["name"].as_str().unwrap();
                let unit = f["unit"].as_str();
                if name.contains("（万元）") {
                    assert_eq!(unit, Some("万元"), "{name}");
                    assert_eq!(f["currency"], "CNY", "{name}");
                    assert_eq!(f["factor"], 10000, "{name}");
                } else if name.contains("（%）") {
                    assert_eq!(unit, Some("%"), "{name}");
                }
                assert!(
                    f["title"].as_str().is_some_and(|t| !t.is_empty())
                        && f["description"].as_str().is_some_and(|t| !t.is_empty())
                );
            }
            assert_eq!(
                r["schema"]["primaryKey"],
                serde_json::json!(["部门", "预算年度"])
            );
        }
        let report = validate(&public.join(rel));
        assert_eq!(report["valid"], true, "{rel}: {:#?}", errors(&report));
        assert_eq!(
            report["tasks"].as_array().unwrap().len(),
            resources.len(),
            "{rel}: every resource validated"
        );
    }
    packages.len()
}

#[test]
fn every_data_package_is_valid_and_lists_every_download() {
    if python_with("frictionless").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let bundled = build_bundled(dir.path());
    // The site's package and one per district (the bundled site has three).
    assert_eq!(check_packages(&bundled), 4);
    let generated = dir.path().join("generated");
    std::fs::create_dir_all(&generated).unwrap();
    let generated = generated_site(&generated);
    assert_eq!(check_packages(&generated), 2);

    // The district's latest table is keyed to its year's table, and a row that breaks the
    // schema (a word for an amount) or the key is found: the validation reads the rows.
    let site = tree(&generated);
    let package = site
        .keys()
        .find(|k| k.ends_with("/datapackage.json"))
        .unwrap()
        .clone();
    let folder = generated.join(package.trim_end_matches("datapackage.json"));
    let v: Value = serde_json::from_slice(&site[&package]).unwrap();
    let latest = &v["resources"][0];
    assert_eq!(latest["path"], "data/departments.csv");
    let reference = latest["schema"]["foreignKeys"][0]["reference"]["resource"]
        .as_str()
        .unwrap();
    assert!(reference.starts_with("departments-20"), "{reference}");
    let csv = folder.join("data/departments.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let mut cells: Vec<String> = lines[1].split(',').map(str::to_owned).collect();
    cells[5] = "很多".to_owned();
    lines[1] = cells.join(",");
    std::fs::write(&csv, lines.join("\r\n") + "\r\n").unwrap();
    let report = validate(&folder.join("datapackage.json"));
    assert_eq!(report["valid"], false);
    assert!(
        errors(&report).iter().any(|e| e.contains("很多")),
        "{:#?}",
        errors(&report)
    );
    cells[5] = "1.00".to_owned();
    cells[0] = "不在该年度表中的部门".to_owned();
    lines[1] = cells.join(",");
    std::fs::write(&csv, lines.join("\r\n") + "\r\n").unwrap();
    let report = validate(&folder.join("datapackage.json"));
    let types: Vec<String> = report["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["errors"].as_array().unwrap().clone())
        .map(|e| e["type"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(types, ["foreign-key"], "{:#?}", errors(&report));
}
