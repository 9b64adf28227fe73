//! The published figures a generated district must show, computed from the generator's truth
//! alone (never from budgetsite): the year tables' rows (the CSV/XLSX downloads), the quality
//! score and its parts, the dashboard's outliers, top-10 share and growth quartiles, and the
//! department pages' year tables and charts. Included with `#[path]` by `tests/it/oracle.rs`.
//!
//! Every ratio is computed in exact integer arithmetic (`i128` over a common denominator) and
//! rounded half away from zero only at the end, so it does not share the site's `Decimal`
//! division; the definitions are those of the about page and spec section 4.

use crate::{normalise, Amounts, Declaration, Truth, ERROR_CODES};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Budget growth beyond ± this many percent is an outlier (about page).
pub const GROWTH_LIMIT: i64 = 30;
/// Execution outside this range (percent) is an outlier (about page).
pub const EXECUTION_RANGE: (i64, i64) = (80, 120);
/// The concentration figure counts this many departments.
pub const TOP_N: usize = 10;

/// `num ÷ den` rounded to `places` decimals, half away from zero, exactly.
pub fn ratio(num: i128, den: i128, places: u32) -> Decimal {
    assert!(den != 0);
    let scaled = num * 10i128.pow(places);
    let (q, r) = (scaled / den, scaled % den);
    let q = if 2 * r.abs() >= den.abs() {
        q + if (scaled < 0) != (den < 0) { -1 } else { 1 }
    } else {
        q
    };
    Decimal::from_i128_with_scale(q, places)
}

/// An amount as integer cents (every generated amount has at most 2 decimals).
fn cents(d: Decimal) -> i128 {
    let c = d * Decimal::ONE_HUNDRED;
    assert!(c.fract().is_zero(), "{d} has more than 2 decimals");
    c.mantissa() / 10i128.pow(c.scale())
}

/// `part ÷ whole × 100` to 2 places; None when `whole` is 0.
pub fn percent(part: Decimal, whole: Decimal) -> Option<Decimal> {
    let w = cents(whole);
    (w != 0).then(|| ratio(cents(part) * 100, w, 2))
}

/// `(cur ÷ prev − 1) × 100` to 2 places; None when `prev` is 0.
pub fn growth(cur: Decimal, prev: Decimal) -> Option<Decimal> {
    let p = cents(prev);
    (p != 0).then(|| ratio((cents(cur) - p) * 100, p, 2))
}

/// The parts of the target-quality score of one form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Score {
    pub goals: usize,
    pub indicators: usize,
    pub measurable: usize,
    /// Distinct level-2 categories (capped at 6 for the score, not here).
    pub coverage: usize,
    /// Goals with an output (产出) and a benefit or satisfaction (效益/满意度) indicator.
    pub complete_goals: usize,
    /// 50 × measurable share + 25 × min(coverage, 6) ÷ 6 + 5 × min(indicators per goal, 3)
    /// + 10 × complete goals ÷ goals, to 2 places.
    pub score: Decimal,
    /// The same to 1 place, as the pages show it.
    pub score_1: Decimal,
}

fn label(s: &str) -> String {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    s.strip_suffix("指标").map(str::to_owned).unwrap_or(s)
}

/// The score of a declaration, from its indicators (see [`Score`]).
pub fn score(decl: &Declaration, coverage: usize) -> Score {
    let goals = decl.goals.len() as i128;
    let mut indicators = 0i128;
    let mut measurable = 0i128;
    let mut complete = 0i128;
    for g in &decl.goals {
        let (mut output, mut benefit) = (false, false);
        for i in &g.indicators {
            indicators += 1;
            if i.target.as_deref().is_some_and(|t| {
                t.chars()
                    .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
            }) {
                measurable += 1;
            }
            match i.level1.as_deref().map(label).as_deref() {
                Some("产出") => output = true,
                Some("效益" | "满意度") => benefit = true,
                _ => {}
            }
        }
        if output && benefit {
            complete += 1;
        }
    }
    // Everything over the common denominator 6 × indicators × goals (each factor at least 1).
    let (n, g) = (indicators.max(1), goals.max(1));
    let den = 6 * n * g;
    let mut num = 50 * measurable * 6 * g; // 50 × m ÷ n
    num += 25 * (coverage.min(6) as i128) * n * g; // 25 × c ÷ 6
    if goals > 0 {
        // 5 × min(n ÷ g, 3)
        num += 5 * 6 * n * indicators.min(3 * goals);
        num += 10 * complete * 6 * n; // 10 × complete ÷ g
    }
    Score {
        goals: goals as usize,
        indicators: indicators as usize,
        measurable: measurable as usize,
        coverage,
        complete_goals: complete as usize,
        score: ratio(num, den, 2),
        score_1: ratio(num, den, 1),
    }
}

/// One row of a year table (`years/Y/departments.{csv,xlsx}`, and the district's latest).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearRow {
    pub department: String,
    pub year: i32,
    pub budget: Amounts,
    pub basic_share: Option<Decimal>,
    pub project_share: Option<Decimal>,
    pub fiscal_dependence: Option<Decimal>,
    pub growth: Option<Decimal>,
    pub actual_expenditure: Option<Decimal>,
    pub execution: Option<Decimal>,
    pub indicators: usize,
    pub score: Decimal,
    /// Whether the form of the year has planted warnings (a clean form has no finding).
    pub warned: bool,
}

/// A published form: the file's department key, its year and declaration.
struct Published<'a> {
    key: String,
    year: i32,
    decl: &'a Declaration,
    coverage: usize,
    warned: bool,
}

/// The matching key of a department name, following the renames.
fn key_of(truth: &Truth, name: &str) -> String {
    let map: BTreeMap<String, String> = truth
        .aliases
        .iter()
        .map(|a| (normalise(&a.old), normalise(&a.new)))
        .collect();
    let mut k = normalise(name);
    for _ in 0..=map.len() {
        match map.get(&k) {
            Some(next) if *next != k => k.clone_from(next),
            _ => break,
        }
    }
    k
}

fn published(truth: &Truth) -> Vec<Published<'_>> {
    truth
        .files
        .iter()
        .filter(|f| !f.planted.iter().any(|c| ERROR_CODES.contains(&c.as_str())))
        .filter_map(|f| {
            let decl = f.expected.as_ref()?;
            Some(Published {
                key: key_of(truth, decl.department.as_deref()?),
                year: decl.fiscal_year?,
                decl,
                coverage: f.quality.as_ref().map_or(0, |q| q.level2_coverage),
                warned: !f.planted.is_empty(),
            })
        })
        .collect()
}

/// The departments of the expected district by key, with their index.
fn departments(truth: &Truth) -> BTreeMap<String, usize> {
    truth
        .expected_district
        .departments
        .iter()
        .enumerate()
        .map(|(i, d)| (key_of(truth, &d.department), i))
        .collect()
}

/// The rows of the year table of `year`, by department name.
pub fn year_rows(truth: &Truth, year: i32) -> BTreeMap<String, YearRow> {
    let deps = departments(truth);
    let mut out = BTreeMap::new();
    for p in published(truth).into_iter().filter(|p| p.year == year) {
        let dep = &truth.expected_district.departments[deps[&p.key]];
        let point = &dep.series[&year];
        let b = point.budget.expect("a form gives its year's budget");
        let prev = dep.series.get(&(year - 1)).and_then(|q| q.budget);
        let a = point.actual;
        out.insert(
            dep.department.clone(),
            YearRow {
                department: dep.department.clone(),
                year,
                budget: b,
                basic_share: percent(b.basic, b.expenditure_total),
                project_share: percent(b.project, b.expenditure_total),
                fiscal_dependence: percent(b.fiscal_appropriation, b.income_total),
                growth: prev.and_then(|prev| growth(b.income_total, prev.income_total)),
                actual_expenditure: a.and_then(|a| a.published()[3]),
                execution: a.and_then(|a| percent(a.expenditure_total, b.expenditure_total)),
                indicators: score(p.decl, p.coverage).indicators,
                score: score(p.decl, p.coverage).score,
                warned: p.warned,
            },
        );
    }
    out
}

/// The years that have a year table (some department filed a published form).
/// The departments (by key) with a form of `year` withheld for a planted error and no
/// published form of that year: the year page's "有错误，未发布" rows.
pub fn withheld_in(truth: &Truth, year: i32) -> std::collections::BTreeSet<String> {
    let published: std::collections::BTreeSet<String> = published(truth)
        .into_iter()
        .filter(|p| p.year == year)
        .map(|p| p.key)
        .collect();
    truth
        .files
        .iter()
        .filter(|f| f.planted.iter().any(|c| ERROR_CODES.contains(&c.as_str())))
        .filter_map(|f| {
            let decl = f.expected.as_ref()?;
            let name = decl.department.as_deref()?;
            (decl.fiscal_year? == year).then(|| key_of(truth, name))
        })
        .filter(|k| !published.contains(k))
        .collect()
}

pub fn form_years(truth: &Truth) -> Vec<i32> {
    let mut y: Vec<i32> = published(truth).iter().map(|p| p.year).collect();
    y.sort_unstable();
    y.dedup();
    y
}

/// The score of each department's latest published form: (department, year, score).
pub fn latest_scores(truth: &Truth) -> BTreeMap<String, (i32, Score)> {
    let deps = departments(truth);
    let mut out: BTreeMap<String, (i32, Score)> = BTreeMap::new();
    for p in published(truth) {
        let name = truth.expected_district.departments[deps[&p.key]]
            .department
            .clone();
        if out.get(&name).is_none_or(|(y, _)| *y < p.year) {
            out.insert(name, (p.year, score(p.decl, p.coverage)));
        }
    }
    out
}

/// Every form's score by (department, year).
pub fn form_scores(truth: &Truth) -> BTreeMap<(String, i32), Score> {
    let deps = departments(truth);
    published(truth)
        .into_iter()
        .map(|p| {
            let name = truth.expected_district.departments[deps[&p.key]]
                .department
                .clone();
            ((name, p.year), score(p.decl, p.coverage))
        })
        .collect()
}

/// A dashboard outlier: (year, department, kind, value to 2 places).
pub type Outlier = (i32, String, &'static str, Decimal);

/// Departments whose budget grew or shrank by more than 30 %, or whose execution lies outside
/// 80–120 %, per year; sorted.
pub fn outliers(truth: &Truth) -> Vec<Outlier> {
    let mut out = Vec::new();
    for d in &truth.expected_district.departments {
        for (&y, p) in &d.series {
            let prev = d.series.get(&(y - 1)).and_then(|q| q.budget);
            if let (Some(b), Some(prev)) = (p.budget, prev) {
                let (c, pc) = (cents(b.income_total), cents(prev.income_total));
                // |c − pc| ÷ pc > 30 %, compared exactly.
                if pc != 0 && (c - pc).abs() * 100 > GROWTH_LIMIT as i128 * pc.abs() {
                    let g = growth(b.income_total, prev.income_total).unwrap();
                    out.push((y, d.department.clone(), "预算增长异常", g));
                }
            }
            if let (Some(a), Some(b)) = (p.actual, p.budget) {
                let (a, b) = (cents(a.expenditure_total), cents(b.expenditure_total));
                let (lo, hi) = EXECUTION_RANGE;
                if b != 0 && (a * 100 < lo as i128 * b || a * 100 > hi as i128 * b) {
                    let e = ratio(a * 100, b, 2);
                    out.push((y, d.department.clone(), "执行率异常", e));
                }
            }
        }
    }
    out.sort();
    out
}

/// Share (percent, 2 places) of the year's budget spending held by the 10 largest departments.
pub fn top_share(truth: &Truth, year: i32) -> Option<Decimal> {
    let mut spend: Vec<i128> = truth
        .expected_district
        .departments
        .iter()
        .filter_map(|d| d.series.get(&year)?.budget)
        .map(|b| cents(b.expenditure_total))
        .collect();
    spend.sort_unstable_by(|a, b| b.cmp(a));
    let total: i128 = spend.iter().sum();
    let top: i128 = spend.iter().take(TOP_N).sum();
    (total != 0 && !spend.is_empty()).then(|| ratio(top * 100, total, 2))
}

/// Count, min, Q1, median, Q3, max of the departments' budget growth in `year` (type-7
/// quartiles: linear interpolation between closest ranks), each to 2 places; None when no
/// department has a growth figure.
pub fn growth_spread(truth: &Truth, year: i32) -> Option<(usize, [Decimal; 5])> {
    // Growth as exact fractions num/den, compared by cross-multiplication.
    let mut g: Vec<(i128, i128)> = truth
        .expected_district
        .departments
        .iter()
        .filter_map(|d| {
            let b = d.series.get(&year)?.budget?;
            let p = d.series.get(&(year - 1))?.budget?;
            let (c, pc) = (cents(b.income_total), cents(p.income_total));
            (pc > 0).then_some(((c - pc) * 100, pc))
        })
        .collect();
    if g.is_empty() {
        return None;
    }
    g.sort_by(|a, b| (a.0 * b.1).cmp(&(b.0 * a.1)));
    let n = g.len() as i128;
    // Quantile q = k/4: position k(n−1)/4 = lo + f/4.
    let at = |k: i128| {
        let pos = k * (n - 1);
        let (lo, f) = ((pos / 4) as usize, pos % 4);
        let hi = (lo + 1).min(g.len() - 1);
        let ((a, da), (b, db)) = (g[lo], g[hi]);
        // a/da + (b/db − a/da) × f/4 = (4·a·db + f·(b·da − a·db)) ÷ (4·da·db)
        ratio(4 * a * db + f * (b * da - a * db), 4 * da * db, 2)
    };
    Some((g.len(), [at(0), at(1), at(2), at(3), at(4)]))
}
