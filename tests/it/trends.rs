//! Multi-year figures against a generated district whose truth is known: the merged series
//! (budget from the form of the year, actual from the latest form reporting it, revisions won
//! by the later form), renamed departments joined by `[aliases]`, missing years, departments
//! that file once, growth, execution, CAGR, district sums, and target quality.

use budgetsite_gen as generator;

use budgetsite::build::{build, BuildOptions};
use budgetsite::ingest::IngestOptions;
use generator::{generate, GenOptions, Plant, QuirkLevel};
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::BTreeMap;

/// Numbers compared by value (`100` = `100.0`).
fn by_value(v: &Value) -> Value {
    match v {
        Value::Number(n) => {
            let d: Decimal = n.to_string().parse().unwrap();
            Value::Number(d.normalize().to_string().parse().unwrap())
        }
        Value::Array(a) => Value::Array(a.iter().map(by_value).collect()),
        Value::Object(m) => {
            Value::Object(m.iter().map(|(k, v)| (k.clone(), by_value(v))).collect())
        }
        other => other.clone(),
    }
}

fn options() -> GenOptions {
    GenOptions {
        seed: 11,
        departments: 40,
        years: vec![2019, 2020, 2021, 2022, 2023],
        quirks: QuirkLevel::Some,
        plant: Plant::All,
        plant_count: 1,
        json_share: 10,
        renames: 3,
        gaps: 3,
        singletons: 3,
        revisions: 3,
        ..GenOptions::default()
    }
}

#[test]
fn district_json_matches_the_generators_truth() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let truth = generate(&options(), &input).unwrap();
    assert_eq!(truth.aliases.len(), 3);
    assert_eq!(truth.cases.gaps.len(), 3);
    assert_eq!(truth.cases.singletons.len(), 3);
    assert!(truth.cases.revisions.len() >= 3);
    let config = dir.path().join("site.toml");
    std::fs::copy(input.join(".truth/aliases.toml"), &config).unwrap();
    let out = dir.path().join("public");
    let outcome = build(&BuildOptions {
        input: input.clone(),
        output: out.clone(),
        config: config.clone(),
        config_required: true,
        ..BuildOptions::default()
    })
    .unwrap();
    assert!(outcome.written.is_some());

    let got: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("data/district.json")).unwrap())
            .unwrap();
    let want = serde_json::to_value(&truth.expected_district).unwrap();
    assert_eq!(got["schema"], "district/v1");
    assert_eq!(got["unit"], "万元");
    assert_eq!(
        by_value(&got["years"]),
        by_value(&want["years"]),
        "district years"
    );

    let by_name = |v: &Value| -> BTreeMap<String, Value> {
        v["departments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| (d["department"].as_str().unwrap().to_owned(), d.clone()))
            .collect()
    };
    let (got_deps, want_deps) = (by_name(&got), by_name(&want));
    assert_eq!(
        got_deps.keys().collect::<Vec<_>>(),
        want_deps.keys().collect::<Vec<_>>(),
        "the same departments (renamed ones joined under their new name)"
    );
    for (name, w) in &want_deps {
        let g = &got_deps[name];
        assert_eq!(by_value(&g["series"]), by_value(&w["series"]), "{name}");
        let page = g["page"].as_str().unwrap();
        assert!(out.join(page).is_file(), "{name}: page {page}");
        assert!(!g["slug"].as_str().unwrap().is_empty());
    }
    // CAGR agrees within rounding of the f64 root.
    for t in &truth.trends {
        let g = &got_deps[&t.department]["cagr_percent"];
        match t.cagr_percent {
            None => assert!(g.is_null(), "{}: {g}", t.department),
            Some(want) => {
                let got: Decimal = g.to_string().parse().unwrap();
                assert!(
                    (got - want).abs() <= Decimal::new(1, 2),
                    "{}: {got} vs {want}",
                    t.department
                );
            }
        }
    }
    // The special cases really are in the data: some renamed department has a budget filed
    // under its old name, joined into the new name's series (compared exactly above).
    let joined = truth.aliases.iter().filter(|a| {
        assert!(
            !got_deps.contains_key(&a.old),
            "{} should be joined to {}",
            a.old,
            a.new
        );
        got_deps[&a.new]["series"]
            .as_object()
            .unwrap()
            .iter()
            .any(|(y, p)| y.parse::<i32>().unwrap() < a.from_year && !p["budget"].is_null())
    });
    assert!(
        joined.count() > 0,
        "no rename with a budget under the old name"
    );
    for g in &truth.cases.gaps {
        let series = &got_deps[&g.department]["series"][g.year.to_string()];
        assert!(series["budget"].is_null(), "{} {}", g.department, g.year);
    }
}

#[test]
fn target_quality_matches_the_generators_truth() {
    let dir = tempfile::tempdir().unwrap();
    let truth = generate(&options(), dir.path()).unwrap();
    let batch = budgetsite::load(&[dir.path().to_path_buf()], &IngestOptions::default()).unwrap();
    let prefix = format!("{}/", dir.path().to_string_lossy());
    let mut checked = 0;
    for t in truth.files.iter().filter(|t| t.planted.is_empty()) {
        let (Some(want), Some(outcome)) = (
            &t.quality,
            batch
                .files
                .iter()
                .find(|f| f.file.display.trim_start_matches(&prefix) == t.path),
        ) else {
            continue;
        };
        let q =
            budgetsite::model::quality::quality(&outcome.declaration.as_ref().unwrap().declaration);
        let r2 = |d: Option<Decimal>| d.map(|v| budgetsite::format::round(v, 2));
        assert_eq!(
            (
                q.indicators,
                q.goals,
                r2(q.per_goal),
                r2(q.measurable_share),
                q.level2_coverage
            ),
            (
                want.indicators,
                want.goals,
                want.indicators_per_goal,
                want.measurable_share_percent,
                want.level2_coverage
            ),
            "{}",
            t.path
        );
        checked += 1;
    }
    assert!(checked > 100, "{checked}");
}
