//! Shared by the fuzz targets: skipping inputs that hit already-reported bugs, and naming the
//! first field where two declarations differ.

use budgetsite::model::{BudgetLine, Declaration, Row};

/// `FUZZ_SKIP_KNOWN=1`: inputs that hit an already-reported round-trip bug (regressions/README.md)
/// skip the round-trip check, so that a run can find new ones.
pub fn skip_known() -> bool {
    static SKIP: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *SKIP.get_or_init(|| std::env::var_os("FUZZ_SKIP_KNOWN").is_some_and(|v| v != "0"))
}

/// Whether to check the round trip of a declaration that would hit `known` (the result of
/// `known_roundtrip_bug`): not with `FUZZ_SKIP_KNOWN=1`; with `FUZZ_ONLY_KNOWN=<name>` only for
/// that bug (so `cargo fuzz tmin` keeps minimising the same bug instead of drifting to another).
pub fn check_roundtrip(known: Option<&str>) -> bool {
    static ONLY: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let only = ONLY.get_or_init(|| std::env::var("FUZZ_ONLY_KNOWN").ok().filter(|v| !v.is_empty()));
    if let Some(only) = only {
        return known == Some(only.as_str());
    }
    !(skip_known() && known.is_some())
}

/// Round-trip bugs already reported (fuzz/regressions/): which one `decl` would hit.
pub fn known_roundtrip_bug(decl: &Declaration) -> Option<&'static str> {
    let year_ok = |y: i32| (1000..=9999).contains(&y);
    let has_dup = |years: Vec<i32>| {
        let mut s = years.clone();
        s.sort_unstable();
        s.dedup();
        s.len() != years.len()
    };
    let lines: Vec<&BudgetLine> = Row::ALL.iter().map(|&r| decl.budget_line(r)).collect();
    if decl.fiscal_year.is_some_and(|y| !year_ok(y)) {
        return Some("fiscal-year-out-of-range");
    }
    if lines.iter().any(|l| l.prior_years.years().any(|y| !year_ok(y))) {
        return Some("prior-year-out-of-range");
    }
    if lines.iter().any(|l| has_dup(l.prior_years.years().collect()))
        || decl
            .goals
            .iter()
            .flat_map(|g| &g.indicators)
            .any(|i| has_dup(i.prior_years.years().collect()))
    {
        return Some("duplicate-year");
    }
    None
}

/// The first field where two declarations differ, with both values, for a readable panic.
pub fn first_difference(a: &Declaration, b: &Declaration) -> String {
    macro_rules! field {
        ($($f:tt)+) => {
            if a.$($f)+ != b.$($f)+ {
                return format!(
                    "`{}`: {:?} became {:?}",
                    stringify!($($f)+).replace(' ', ""),
                    a.$($f)+,
                    b.$($f)+
                );
            }
        };
    }
    field!(fiscal_year);
    field!(department);
    field!(filled_by);
    field!(phone);
    field!(unit);
    for row in Row::ALL {
        let (x, y) = (a.budget_line(row), b.budget_line(row));
        if x != y {
            return format!("`{}`: {x:?} became {y:?}", row.json_path());
        }
    }
    field!(functions);
    field!(annual_tasks);
    field!(long_term_goal);
    field!(annual_goal);
    field!(overall_goals);
    field!(goals.len());
    for (i, (x, y)) in a.goals.iter().zip(&b.goals).enumerate() {
        if x.number != y.number || x.name != y.name || x.indicators.len() != y.indicators.len() {
            return format!("`goals[{i}]`: {:?}/{:?}/{} indicators became {:?}/{:?}/{}",
                x.number, x.name, x.indicators.len(), y.number, y.name, y.indicators.len());
        }
        for (j, (p, q)) in x.indicators.iter().zip(&y.indicators).enumerate() {
            if p != q {
                return format!("`goals[{i}].indicators[{j}]`: {p:?} became {q:?}");
            }
        }
    }
    "something outside the compared fields".to_owned()
}

/// Reads `data` as a file with extension `ext`, runs the rules on whatever was read, and
/// checks that the declaration survives canonical JSON → model unchanged, and that the JSON
/// of the JSON is byte-identical. Both fuzz targets are this with another extension.
pub fn read_validate_roundtrip(data: &[u8], ext: &str) {
    use budgetsite::ingest::{parse_bytes, SourceFile};
    let file = SourceFile {
        display: format!("fuzz.{ext}"),
        path: format!("fuzz.{ext}").into(),
    };
    let outcome = parse_bytes(&file, data);
    let Some(loaded) = outcome.declaration else {
        return;
    };
    let decl = &loaded.declaration;
    let _ = budgetsite::rules::validate(decl, &loaded.source, &file.display);
    let json = decl.to_canonical_json();
    if !check_roundtrip(known_roundtrip_bug(decl)) {
        return;
    }
    let back_file = SourceFile {
        display: "back.json".to_owned(),
        path: "back.json".into(),
    };
    let back = parse_bytes(&back_file, json.as_bytes());
    let Some(again) = back.declaration else {
        panic!("canonical JSON does not read back: {:?}\n{json}", back.diagnostics);
    };
    if *decl != again.declaration {
        panic!(
            "{ext} -> canonical JSON -> model changed {}\ndiagnostics reading the JSON: {:?}\nJSON:\n{json}",
            first_difference(decl, &again.declaration),
            back.diagnostics
        );
    }
    assert_eq!(json, again.declaration.to_canonical_json(), "JSON of the JSON differs");
}
