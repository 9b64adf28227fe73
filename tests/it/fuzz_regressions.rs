//! Inputs the fuzzer found (fuzz/regressions/, described in its README): each reads without
//! panic and survives the round trip text/JSON → model → canonical JSON → model unchanged.

use budgetsite::ingest::{parse_bytes, SourceFile};
use std::path::Path;

fn read(name: &str, bytes: &[u8]) -> budgetsite::ingest::FileOutcome {
    parse_bytes(
        &SourceFile {
            display: name.to_owned(),
            path: name.into(),
        },
        bytes,
    )
}

#[test]
fn every_fuzz_regression_round_trips() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "bin"))
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 5);
    for path in inputs {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let ext = if name.starts_with("json-") {
            "json"
        } else {
            "txt"
        };
        let first = read(&format!("in.{ext}"), &std::fs::read(&path).unwrap());
        // Every input still reaches the code it was minimised for: it is read as a
        // declaration (one that is refused as a whole would pass without testing anything).
        let loaded = first.declaration.unwrap_or_else(|| {
            panic!(
                "{name} is no longer read as a declaration: {:?}",
                first.diagnostics
            )
        });
        // The two bugs they found: a year twice, a year out of range.
        let d = &loaded.declaration;
        for line in budgetsite::model::Row::ALL.map(|r| d.budget_line(r)) {
            let years: Vec<i32> = line.prior_years.years().collect();
            let mut distinct = years.clone();
            distinct.sort_unstable();
            distinct.dedup();
            assert_eq!(
                distinct.len(),
                years.len(),
                "{name}: a year twice in {years:?}"
            );
            assert!(
                years.iter().all(|y| (1900..=2199).contains(y)),
                "{name}: {years:?}"
            );
        }
        assert!(
            d.fiscal_year.is_none_or(|y| (1900..=2199).contains(&y)),
            "{name}"
        );
        let json = loaded.declaration.to_canonical_json();
        let back = read("back.json", json.as_bytes());
        let again = back.declaration.expect("canonical JSON reads back");
        assert_eq!(loaded.declaration, again.declaration, "{name}");
        assert_eq!(json, again.declaration.to_canonical_json(), "{name}");
    }
}

#[test]
fn a_year_typed_twice_in_the_header_does_not_swallow_a_column() {
    let sample = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/sample/武汉市新洲区总工会-2020.txt"),
    )
    .unwrap();
    // The first header row with the years (the money table's) typed 2019 twice.
    let typo = sample.replacen("\t2019年\t2018年", "\t2019年\t2019年", 1);
    let d = read("typo.txt", typo.as_bytes())
        .declaration
        .unwrap()
        .declaration;
    let total = &d
        .budget_line(budgetsite::model::Row::IncomeTotal)
        .prior_years;
    assert_eq!(total.years().collect::<Vec<_>>(), [2019, 2018]);
    assert_eq!(
        total.get(2019).copied().flatten(),
        Some("234.35".parse().unwrap())
    );
    assert_eq!(
        total.get(2018).copied().flatten(),
        Some("231.55".parse().unwrap())
    );
}

#[test]
fn implausible_years_and_a_lone_year_row_are_not_a_declaration() {
    let d = read(
        "t.txt",
        "0020年度部门整体支出绩效目标申报表\n部门名称\t甲\n".as_bytes(),
    );
    assert_eq!(d.declaration.unwrap().declaration.fiscal_year, None);
    let lone = read("y.txt", "2019年\n".as_bytes());
    assert!(lone.declaration.is_none());
    assert_eq!(lone.diagnostics[0].code.as_str(), "not-a-declaration");
    let json =
        br#"{"schema":"declaration/v1","income":{"total":{"prior_years":{"2019":1,"02019":2}}}}"#;
    let j = read("j.json", json);
    let decl = j.declaration.unwrap().declaration;
    let total = decl.budget_line(budgetsite::model::Row::IncomeTotal);
    assert_eq!(total.prior_years.years().collect::<Vec<_>>(), [2019]);
    assert!(j.diagnostics.iter().any(|d| d.message.contains("02019")));
}
