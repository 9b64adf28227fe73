//! Self-evaluations (`部门整体支出绩效自评表`, contract `self-evaluation-v1.md`) consistent with
//! the declarations the generator wrote: for a share of the clean declarations, the same
//! department and year evaluated — 年初预算数 = the declared expenditure total, every declared
//! indicator with its declared target, an actual, a weight (90 points over the indicators, 10
//! for execution) and the score the national rules give it — written as the `national` or
//! `sichuan` text export, or as an `.xlsx` workbook. Rule codes of contract §4 can be planted,
//! one per file (`--plant-eval`). Everything here is integer arithmetic (cents, hundredths of
//! a point, basis points), independent of budgetsite's `Decimal` code: the truth it records
//! (`EvalTruth`: the expected JSON, the review score, grade and rate, the changed and dropped
//! targets) is the oracle the site's published self-evaluation figures are checked against.

use super::sheets::{self, Cell, Sheet, XlsxStyle};
use super::{round_div, Declaration, Rng};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::io;
use std::path::Path;

/// The codes of contract §4 that can be planted, in catalog order.
pub const EVAL_CODES: [&str; 12] = [
    "execution-rate",
    "score-over-weight",
    "weights-sum",
    "total-sum",
    "grade",
    "score-above-rule",
    "missing-reason",
    "no-declaration",
    "initial-budget-mismatch",
    "target-changed",
    "target-dropped",
    "target-added",
];

/// Which self-evaluations to write.
#[derive(Debug, Clone, Default)]
pub struct EvalOptions {
    /// Percentage (0–100) of the clean declarations that get a self-evaluation.
    pub share: u32,
    /// Codes to plant (each in `plant_count` self-evaluations, one code per file).
    pub plant: Vec<String>,
    pub plant_count: usize,
    /// Percentage of self-evaluations in the `sichuan` layout (else `national`).
    pub sichuan_share: u32,
    /// Percentage written as `.xlsx` workbooks (else text exports).
    pub xlsx_share: u32,
}

/// What the generator knows about one self-evaluation it wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvalTruth {
    /// Relative to DIR, forward slashes.
    pub path: String,
    pub department: String,
    pub fiscal_year: i32,
    /// `national` or `sichuan`.
    pub layout: String,
    /// `text` or `xlsx`.
    pub format: String,
    /// The code planted in it (none: a clean form, which must give no diagnostic).
    pub planted: Vec<String>,
    /// The `self-evaluation/v1` JSON the reader must produce (numbers compare by value).
    pub expected: String,
    /// The oracle: B ÷ A in hundredths of a percent, the self-score and the review score in
    /// hundredths of a point, the review grade.
    pub rate_hundredths: i64,
    pub self_hundredths: i64,
    pub review_hundredths: i64,
    pub review_grade: String,
    /// Names of the indicators whose target differs from the declaration's, and of the
    /// declared indicators left out.
    pub changed: Vec<String>,
    pub dropped: Vec<String>,
    pub added: Vec<String>,
}

/// A quantitative target: higher (`≥`, none) or lower (`≤`) is better, an integer, a unit.
#[derive(Debug, Clone, PartialEq)]
struct Quant {
    lower: bool,
    direction: &'static str,
    value: i64,
    unit: String,
}

/// Reads the generator's own targets (`≥95%`, `120个`, `≤300万元`); dates (`12月底前`) and
/// words are not quantities.
fn quant(target: &str) -> Option<Quant> {
    let (direction, lower, rest) = if let Some(r) = target.strip_prefix('≥') {
        ("≥", false, r)
    } else if let Some(r) = target.strip_prefix('≤') {
        ("≤", true, r)
    } else {
        ("", false, target)
    };
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    let unit: String = rest.chars().skip(digits.len()).collect();
    if digits.is_empty() || unit.chars().any(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    if ["年", "月", "日", "号", "季度", "周"]
        .iter()
        .any(|w| unit.starts_with(w))
    {
        return None;
    }
    Some(Quant {
        lower,
        direction,
        value: digits.parse().ok()?,
        unit,
    })
}

#[derive(Debug, Clone)]
struct Ind {
    level1: String,
    level2: String,
    name: String,
    target: String,
    actual: String,
    /// Hundredths of a point.
    weight: i64,
    score: i64,
    reason: Option<String>,
    /// The target and actual as integers, when the indicator is quantitative.
    quant: Option<(Quant, i64)>,
}

impl Ind {
    /// The score the national rules give (contract §3), in hundredths.
    fn rule_score(&self) -> i64 {
        match &self.quant {
            Some((q, a)) => {
                let (num, den) = if q.lower {
                    if *a == 0 {
                        (1, 1)
                    } else {
                        (q.value, *a)
                    }
                } else if q.value == 0 {
                    (1, 1)
                } else {
                    (*a, q.value)
                };
                if num >= den {
                    self.weight
                } else {
                    round_div(i128::from(self.weight) * i128::from(num), i128::from(den)) as i64
                }
            }
            None => self.score.clamp(0, self.weight),
        }
    }
}

#[derive(Debug, Clone)]
struct Eval {
    department: String,
    year: i32,
    filled_by: Option<String>,
    phone: Option<String>,
    /// Cents.
    initial: i64,
    adjusted: i64,
    executed: i64,
    /// Hundredths of a point / of a percent.
    exec_weight: i64,
    rate: i64,
    exec_score: i64,
    exec_reason: Option<String>,
    goals: Vec<(String, String)>,
    inds: Vec<Ind>,
    total_weight: i64,
    total_score: i64,
    grade: String,
    sichuan: bool,
}

fn grade_of(hundredths: i64) -> &'static str {
    match hundredths {
        9000.. => "优",
        8000.. => "良",
        6000.. => "中",
        _ => "差",
    }
}

impl Eval {
    /// The tool's execution score: weight × min(B ÷ A, 1), rounded to hundredths.
    fn rule_exec(&self) -> i64 {
        if self.adjusted == 0 {
            return 0;
        }
        if self.executed >= self.adjusted {
            return self.exec_weight;
        }
        round_div(
            i128::from(self.exec_weight) * i128::from(self.executed),
            i128::from(self.adjusted),
        ) as i64
    }

    fn review(&self) -> i64 {
        self.rule_exec() + self.inds.iter().map(Ind::rule_score).sum::<i64>()
    }

    /// Written total and grade from the written scores (what a careful clerk writes).
    fn settle(&mut self) {
        self.total_score = self.exec_score + self.inds.iter().map(|i| i.score).sum::<i64>();
        self.grade = grade_of(self.total_score).to_owned();
    }
}

/// `12345` hundredths → `123.45`; trailing zeros dropped (`700` → `7`, `480` → `4.8`).
fn points(h: i64) -> String {
    let d = Decimal::new(h, 2).normalize();
    d.to_string()
}

fn cents(c: i64) -> String {
    Decimal::new(c, 2).to_string()
}

fn to_cents(d: Decimal) -> Option<i64> {
    let c = d * Decimal::ONE_HUNDRED;
    (c.fract().is_zero()).then(|| c.trunc().to_string().parse().ok())?
}

/// A clean self-evaluation of `decl`, or `None` when the declaration has no expenditure total
/// or no indicator to evaluate.
fn evaluate(decl: &Declaration, rng: &mut Rng, sichuan: bool) -> Option<Eval> {
    let initial = to_cents(decl.expenditure.total.budget?)?;
    let declared: Vec<(&str, &str, &str, &str)> = decl
        .goals
        .iter()
        .flat_map(|g| &g.indicators)
        .filter_map(|i| {
            let name = i.name.as_deref()?;
            (!name.contains("___")).then_some((
                i.level1.as_deref().unwrap_or(""),
                i.level2.as_deref().unwrap_or(""),
                name,
                i.target.as_deref().unwrap_or(""),
            ))
        })
        .collect();
    if declared.is_empty() || declared.len() > 90 {
        return None;
    }
    let adjusted = initial + initial * rng.range(0, 8) / 100;
    // Execution of 90–100 % mostly; now and then lower (with a reason in the sichuan layout).
    let rate_bp = if rng.chance(15) {
        rng.range(8000, 8999)
    } else {
        rng.range(9000, 10000)
    };
    let executed = adjusted * rate_bp / 10000;
    let n = declared.len() as i64;
    let mut inds = Vec::new();
    for (k, (l1, l2, name, target)) in declared.iter().enumerate() {
        let weight = (90 / n + i64::from((k as i64) < 90 % n)) * 100;
        let q = quant(target);
        let (actual, quant, score, reason) = match q {
            Some(q) => {
                let pct = if rng.chance(20) {
                    if q.lower {
                        rng.range(101, 115)
                    } else {
                        rng.range(85, 99)
                    }
                } else if q.lower {
                    rng.range(80, 100)
                } else {
                    rng.range(100, 110)
                };
                let mut a = q.value * pct / 100;
                if q.unit == "%" {
                    a = a.min(100);
                }
                let ind = Ind {
                    level1: (*l1).to_owned(),
                    level2: (*l2).to_owned(),
                    name: (*name).to_owned(),
                    target: (*target).to_owned(),
                    actual: format!("{a}{}", q.unit),
                    weight,
                    score: 0,
                    reason: None,
                    quant: Some((q, a)),
                };
                let s = ind.rule_score();
                let reason = (s < weight)
                    .then(|| "受客观因素影响未完全达到目标，下一步加强过程管理".to_owned());
                (ind.actual.clone(), ind.quant.clone(), s, reason)
            }
            None => {
                if rng.chance(15) {
                    let s = weight * 8 / 10;
                    (
                        "基本完成".to_owned(),
                        None,
                        s,
                        Some("部分工作推迟，已列入下年计划".to_owned()),
                    )
                } else {
                    ("已完成".to_owned(), None, weight, None)
                }
            }
        };
        inds.push(Ind {
            level1: (*l1).to_owned(),
            level2: (*l2).to_owned(),
            name: (*name).to_owned(),
            target: (*target).to_owned(),
            actual,
            weight,
            score,
            reason,
            quant,
        });
    }
    let goals = decl
        .overall_goals
        .iter()
        .map(|g| (g.clone(), format!("已按计划推进：{g}")))
        .collect();
    let mut e = Eval {
        department: decl.department.clone()?,
        year: decl.fiscal_year?,
        filled_by: decl.filled_by.clone(),
        phone: decl.phone.clone(),
        initial,
        adjusted,
        executed,
        exec_weight: 1000,
        rate: round_div(i128::from(executed) * 10000, i128::from(adjusted)) as i64,
        exec_score: 0,
        exec_reason: None,
        goals,
        inds,
        total_weight: 10000,
        total_score: 0,
        grade: String::new(),
        sichuan,
    };
    e.exec_score = e.rule_exec();
    if sichuan && e.rate < 9000 {
        e.exec_reason = Some("部分项目资金结转下年使用".to_owned());
    }
    e.settle();
    Some(e)
}

mod print;
use print::*;

/// Writes self-evaluations for `files` (the truth of the declarations just written, in
/// order) under `out` (DIR); returns their truth, in writing order.
pub fn write(
    out: &Path,
    files: &[super::TruthFile],
    seed: u64,
    opts: &EvalOptions,
) -> io::Result<Vec<EvalTruth>> {
    let forms: Vec<(&str, Option<&Declaration>)> = files
        .iter()
        .map(|f| {
            let clean = f.planted.is_empty();
            (f.path.as_str(), f.expected.as_ref().filter(|_| clean))
        })
        .collect();
    write_for(out, &forms, seed, opts)
}

/// Writes self-evaluations for some of `forms` (a declaration's path relative to `out`, and
/// the declaration when it is clean), beside each declaration; returns their truth.
pub fn write_for(
    out: &Path,
    forms: &[(&str, Option<&Declaration>)],
    seed: u64,
    opts: &EvalOptions,
) -> io::Result<Vec<EvalTruth>> {
    let mut truth = Vec::new();
    if opts.share == 0 {
        return Ok(truth);
    }
    let mut candidates = Vec::new();
    for (k, (path, decl)) in forms.iter().enumerate() {
        let mut rng = Rng::derive(&[seed, k as u64, 0x5E1F]);
        if !rng.chance(opts.share as usize) {
            continue;
        }
        if let Some(decl) = decl {
            candidates.push((k, *path, *decl));
        }
    }
    // Plants: code i goes to candidates i, i + 12, … (one code per file).
    let codes: Vec<&str> = EVAL_CODES
        .iter()
        .copied()
        .filter(|c| opts.plant.iter().any(|p| p == c || p == "all"))
        .collect();
    let mut planned: std::collections::BTreeMap<usize, &str> = Default::default();
    let mut next = 0;
    for _ in 0..opts.plant_count.max(1) {
        for c in &codes {
            if next < candidates.len() {
                planned.insert(next, c);
                next += 1;
            }
        }
    }
    for (n, (k, path, decl)) in candidates.into_iter().enumerate() {
        let mut rng = Rng::derive(&[seed, k as u64, 0xE7A1]);
        let sichuan = rng.chance(opts.sichuan_share as usize);
        let Some(mut e) = evaluate(decl, &mut rng, sichuan) else {
            continue;
        };
        let code = planned.get(&n).copied();
        if let Some(code) = code {
            plant(&mut e, code, &mut rng);
        }
        let declared: Vec<(String, String)> = decl
            .goals
            .iter()
            .flat_map(|g| &g.indicators)
            .filter_map(|i| Some((i.name.clone()?, i.target.clone().unwrap_or_default())))
            .filter(|(n, _)| !n.contains("___"))
            .collect();
        // Pairs in order of appearance, never one declared indicator to two (the names the
        // generator writes are the declared ones, so the name decides).
        let mut used = vec![false; declared.len()];
        let (mut changed, mut added) = (Vec::new(), Vec::new());
        for i in &e.inds {
            match (0..declared.len()).find(|&j| !used[j] && declared[j].0 == i.name) {
                Some(j) => {
                    used[j] = true;
                    if declared[j].1 != i.target {
                        changed.push(i.name.clone());
                    }
                }
                None => added.push(i.name.clone()),
            }
        }
        let dropped: Vec<String> = declared
            .iter()
            .zip(&used)
            .filter(|(_, u)| !**u)
            .map(|((n, _), _)| n.clone())
            .collect();
        let xlsx = rng.chance(opts.xlsx_share as usize);
        let dir = Path::new(path)
            .parent()
            .map(|p| p.to_string_lossy().into_owned())
            .filter(|d| !d.is_empty())
            .map_or(String::new(), |d| format!("{d}/"));
        let stem = format!("{dir}{}-{}-自评", e.department, e.year);
        let shifted = !xlsx && rng.chance(50);
        let sheet = sheet(&e, shifted);
        let (rel, bytes) = if xlsx {
            let style = XlsxStyle {
                text_amounts: 0,
                noise: 30,
                percent_shares: 100,
                formulas: false,
                hidden_first_column: false,
                thousands: false,
            };
            let bytes = sheets::xlsx(&[sheet], style, &mut rng).map_err(io::Error::other)?;
            (format!("{stem}.xlsx"), bytes)
        } else {
            (format!("{stem}.txt"), sheet.to_text("\n").into_bytes())
        };
        std::fs::write(out.join(&rel), bytes)?;
        truth.push(EvalTruth {
            path: rel,
            department: e.department.clone(),
            fiscal_year: e.year,
            layout: if e.sichuan { "sichuan" } else { "national" }.to_owned(),
            format: if xlsx { "xlsx" } else { "text" }.to_owned(),
            planted: code.map(|c| vec![c.to_owned()]).unwrap_or_default(),
            expected: expected(&e).to_string(),
            rate_hundredths: round_div(i128::from(e.executed) * 10000, i128::from(e.adjusted))
                as i64,
            self_hundredths: e.total_score,
            review_hundredths: e.review(),
            review_grade: grade_of(e.review()).to_owned(),
            changed,
            dropped,
            added,
        });
    }
    Ok(truth)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_read_as_the_generator_writes_them() {
        assert_eq!(quant("≥95%").map(|q| (q.value, q.lower)), Some((95, false)));
        assert_eq!(
            quant("≤300万元").map(|q| (q.value, q.lower, q.unit)),
            Some((300, true, "万元".to_owned()))
        );
        assert_eq!(quant("12月底前"), None);
        assert_eq!(quant("持续3年"), None);
        assert_eq!(quant("合格"), None);
    }

    #[test]
    fn rule_scores_by_hand() {
        let ind = |target: &str, a: i64, weight: i64| Ind {
            level1: String::new(),
            level2: String::new(),
            name: String::new(),
            target: target.to_owned(),
            actual: String::new(),
            weight,
            score: weight,
            reason: None,
            quant: quant(target).map(|q| (q, a)),
        };
        // 7 × 140/150 = 6.5333 → 6.53.
        assert_eq!(ind("≥150人", 140, 700).rule_score(), 653);
        assert_eq!(ind("≥150人", 162, 700).rule_score(), 700);
        // ≤3 days, took 4: 8 × 3/4 = 6.
        assert_eq!(ind("≤3天", 4, 800).rule_score(), 600);
        assert_eq!(grade_of(9000), "优");
        assert_eq!(grade_of(8999), "良");
        assert_eq!(points(480), "4.8");
        assert_eq!(points(700), "7");
    }
}
