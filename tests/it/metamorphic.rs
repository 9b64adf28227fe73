//! Metamorphic tests of the reader (issue #18): every bundled text export and forms the
//! generator makes in every layout, changed in ways a person reads as the same form (empty rows
//! and columns, a hidden column, merged and split labels, each synonym, the year under the
//! title, shares as fractions, percent text and formulas, totals as formulas, float noise,
//! text amounts, thousands separators, cover and instruction sheets) and saved as .xlsx, .xls,
//! .ods, Unicode text and GB18030 text, must give the canonical JSON of the untransformed
//! form. The transformations and writers are `budgetsite_gen::metamorphic`; the harness is
//! `support/metamorphic.rs`.
//!
//! Fixed seeds; each (transformation, format) runs on `PER_CASE` forms, one of each layout,
//! chosen so that the sample walks through the forms (the same forms in every format).
//! `bench/metamorphic.sh` runs every form, case and format with many seeds.
//!
//! Self-evaluations (issue #19) are sources too: the bundled ones (the example district's and
//! the reader's fixtures, text exports with merged-cell shifts) and generated ones of both
//! layouts; every transformation that applies to a self-evaluation (`Transform::all_for`; the
//! declaration's label synonyms are skipped with their reason, the self-evaluation's own
//! vocabulary is swapped instead) runs on `EVAL_PER_CASE` of them, one per layout, in every
//! format, and must give the same `self-evaluation/v1` JSON.
//!
//! Every case must pass: a failure names the form, the transformations, the format, the seed
//! and the first JSON path that differs.

#[path = "support/metamorphic.rs"]
mod harness;

use budgetsite_gen::metamorphic::{FormKind, OutFormat, Transform};
use harness::{Case, Outcome, Source};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

const SEED: u64 = 18;
/// Forms per (transformation, format) in `cargo test`, taken from the layouts in turn (a form
/// of each of the four layouts; compositions get twice as many).
const PER_CASE: usize = 4;
/// Self-evaluations per (transformation, format): one of each layout (compositions: two).
const EVAL_PER_CASE: usize = 2;

fn sources() -> &'static [Source] {
    static SOURCES: OnceLock<Vec<Source>> = OnceLock::new();
    SOURCES.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = harness::bundled(root);
        files.extend(harness::generated(SEED, 16));
        let (sources, unread) = harness::prepare(files);
        assert!(
            unread.is_empty(),
            "the reader reads no declaration in these bundled forms: {unread:?}"
        );
        assert!(sources.len() > 100, "{} forms", sources.len());
        sources
    })
}

/// The self-evaluations: bundled, and generated in both layouts.
fn evaluation_sources() -> &'static [Source] {
    static SOURCES: OnceLock<Vec<Source>> = OnceLock::new();
    SOURCES.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = harness::bundled_evaluations(root);
        files.extend(harness::generated_evaluations(SEED, 6));
        let (sources, unread) = harness::prepare(files);
        assert!(
            unread.is_empty(),
            "the reader reads no self-evaluation in these forms: {unread:?}"
        );
        assert!(
            sources.iter().all(|s| s.kind == FormKind::SelfEvaluation),
            "a declaration among the self-evaluations"
        );
        for layout in ["national", "sichuan"] {
            let n = sources
                .iter()
                .filter(|s| s.reference["layout"] == layout)
                .count();
            assert!(n >= 4, "{n} self-evaluations in the {layout} layout");
        }
        sources
    })
}

#[derive(Default)]
struct Tally {
    pass: usize,
    fail: Vec<String>,
}

/// Runs every case kind in `format` on `PER_CASE` forms each; every one must pass.
fn check(format: OutFormat) {
    matrix(sources(), FormKind::Declaration, format, PER_CASE);
}

/// Runs every case kind of self-evaluations in `format` on `EVAL_PER_CASE` forms each.
fn check_evaluations(format: OutFormat) {
    matrix(
        evaluation_sources(),
        FormKind::SelfEvaluation,
        format,
        EVAL_PER_CASE,
    );
}

/// Runs every case kind of forms of `kind` in `format` on `per_form` forms each; every one
/// must pass.
fn matrix(sources: &[Source], kind: FormKind, format: OutFormat, per_form: usize) {
    // The forms by layout (`hubei`, `hubei-pdf`, `fujian`, `hunan`; `national`, `sichuan`), so
    // each case meets every layout, not only the many bundled `hubei` forms.
    let mut by_layout: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, s) in sources.iter().enumerate() {
        let layout = s.reference["layout"].as_str().unwrap_or("").to_owned();
        by_layout.entry(layout).or_default().push(i);
    }
    let groups: Vec<&Vec<usize>> = by_layout.values().collect();
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    for (ci, case) in Case::all_for(kind).into_iter().enumerate() {
        let tally = tallies.entry(case.name()).or_default();
        let per_case = if case == Case::Composition {
            2 * per_form
        } else {
            per_form
        };
        // Forms from each layout in turn, from a place that differs by case (the same forms in
        // every format, so the formats compare), skipping those the case does not apply to.
        let mut done = 0;
        let mut turn = 0;
        let mut misses = 0;
        while done < per_case && misses < sources.len() {
            let group = groups[(turn + ci) % groups.len()];
            let i = group[(ci * 7 + turn / groups.len() + misses) % group.len()];
            turn += 1;
            match harness::run(&sources[i], i, case, format, SEED) {
                Outcome::Pass => tally.pass += 1,
                Outcome::Fail(why) => tally.fail.push(why),
                Outcome::NotApplicable => {
                    misses += 1;
                    continue;
                }
            }
            done += 1;
        }
    }

    let mut problems = Vec::new();
    eprintln!(
        "metamorphic matrix, {}s, {} (pass/cases; forms by layout: {:?}):",
        kind.name(),
        format.name(),
        by_layout
            .iter()
            .map(|(k, v)| (k, v.len()))
            .collect::<Vec<_>>()
    );
    for (name, t) in &tallies {
        let cases = t.pass + t.fail.len();
        eprintln!("  {name:<28} {}/{cases}", t.pass);
        if !t.fail.is_empty() {
            problems.push(format!(
                "{name}: {} of {cases} failed, e.g. {}",
                t.fail.len(),
                t.fail[0]
            ));
        }
    }
    for t in Transform::all() {
        if let Some(why) = t.skip_reason(kind) {
            eprintln!("  {:<28} skipped: {why}", t.name());
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn xlsx() {
    check(OutFormat::Xlsx);
}

#[test]
fn xls() {
    check(OutFormat::Xls);
}

#[test]
fn ods() {
    check(OutFormat::Ods);
}

#[test]
fn unicode_text() {
    check(OutFormat::UnicodeText);
}

#[test]
fn gb18030_text() {
    check(OutFormat::Gb18030Text);
}

#[test]
fn self_evaluation_xlsx() {
    check_evaluations(OutFormat::Xlsx);
}

#[test]
fn self_evaluation_xls() {
    check_evaluations(OutFormat::Xls);
}

#[test]
fn self_evaluation_ods() {
    check_evaluations(OutFormat::Ods);
}

#[test]
fn self_evaluation_unicode_text() {
    check_evaluations(OutFormat::UnicodeText);
}

#[test]
fn self_evaluation_gb18030_text() {
    check_evaluations(OutFormat::Gb18030Text);
}

/// Every transformation is a case of some kind of form; a skip names its reason.
#[test]
fn every_transformation_applies_to_declarations_or_self_evaluations() {
    for case in Case::all() {
        let kinds: Vec<FormKind> = FormKind::ALL
            .into_iter()
            .filter(|k| Case::all_for(*k).contains(&case))
            .collect();
        assert!(!kinds.is_empty(), "{} applies to no form", case.name());
        if let Case::One(t) = case {
            for k in FormKind::ALL {
                let skipped = t.skip_reason(k).is_some_and(|why| !why.is_empty());
                assert_eq!(skipped, !kinds.contains(&k), "{} × {}", t.name(), k.name());
            }
        }
    }
    let eval = Case::all_for(FormKind::SelfEvaluation);
    assert!(eval.contains(&Case::One(Transform::YearUnderTitle)));
    assert!(eval.contains(&Case::One(Transform::ShareFormula)));
    assert!(!eval.contains(&Case::One(Transform::Synonym(0))));
}
