//! Generates a district with the generator and scores budgetsite's reader and rules against its
//! truth: `cargo run --release --example score_district -- --departments 2000 --quirks all`.
//! Prints field accuracy, rule recall per code, precision on clean forms, and read time.

use budgetsite_gen as generator;
#[path = "../tests/it/support/score.rs"]
mod score;

use budgetsite::ingest::IngestOptions;
use generator::{generate, GenOptions, Plant, QuirkLevel};
use std::collections::BTreeMap;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let options = GenOptions {
        seed: arg("--seed").and_then(|s| s.parse().ok()).unwrap_or(1),
        departments: arg("--departments")
            .and_then(|s| s.parse().ok())
            .unwrap_or(2000),
        years: vec![2020, 2021, 2022],
        quirks: match arg("--quirks").as_deref() {
            Some("none") => QuirkLevel::None,
            Some("all") => QuirkLevel::All,
            _ => QuirkLevel::Some,
        },
        plant: Plant::All,
        plant_count: arg("--plant-count")
            .and_then(|s| s.parse().ok())
            .unwrap_or(10),
        json_share: arg("--json-share")
            .and_then(|s| s.parse().ok())
            .unwrap_or(10),
        ..GenOptions::default()
    };
    let dir = tempfile_dir();
    let truth = generate(&options, &dir).expect("generate");
    let started = std::time::Instant::now();
    let batch =
        budgetsite::load(std::slice::from_ref(&dir), &IngestOptions::default()).expect("load");
    let elapsed = started.elapsed();
    let prefix = format!("{}/", dir.to_string_lossy());
    let s = score::score(&truth, &batch.files, &prefix);
    let mut per_code: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for t in &truth.files {
        for code in &t.planted {
            let e = per_code.entry(code).or_default();
            e.0 += 1;
        }
    }
    for m in &s.missed {
        if let Some((_, code)) = m.rsplit_once(": ") {
            if let Some(e) = per_code.get_mut(code) {
                e.1 += 1;
            }
        }
    }
    println!(
        "files: {}  ({} clean, {} with planted errors)",
        s.files,
        s.clean_files,
        s.files - s.clean_files
    );
    println!(
        "field accuracy: {}/{} = {:.4}%",
        s.fields_right,
        s.fields,
        s.field_accuracy() * 100.0
    );
    println!(
        "rule recall: {}/{} = {:.2}%",
        s.found,
        s.planted,
        s.recall() * 100.0
    );
    for (code, (planted, missed)) in &per_code {
        println!("  {code:<22} {}/{planted}", planted - missed);
    }
    println!(
        "clean forms with any finding: {}/{}",
        s.clean_with_findings.len(),
        s.clean_files
    );
    println!("read + validate: {:.3} s", elapsed.as_secs_f64());
    for w in s
        .wrong_fields
        .iter()
        .chain(&s.missed)
        .chain(&s.clean_with_findings)
        .take(20)
    {
        println!("  ! {w}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("budgetsite-score-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}
