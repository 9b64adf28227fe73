//! Self-evaluations on the site (contract `self-evaluation-v1.md` §5): on the department
//! page, per evaluated year, the execution block (A, B, rate, the department's and the tool's
//! scores) and a table of every indicator — the declared target beside the evaluated one
//! (marked when changed), the actual, score / weight, the tool's band, the reason — with the
//! declared indicators nobody evaluated and those added. The dashboard's rows (`EvalRow`)
//! and the changed and dropped targets of a year come from the same pairing.

use super::*;
use crate::analyze::self_eval::EvalForm;
use crate::model::review::{self, Review};
use crate::rules::self_eval::evaluated_target;

/// A self-evaluation's JSON download, beside the declarations'.
pub fn evaluation_json(d: &District<'_>, dep: &Department<'_>, year: i32) -> String {
    format!("{}/data/{}-{year}-self-evaluation.json", d.slug, dep.slug)
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct EvaluationView {
    pub year: i32,
    pub anchor: String,
    pub layout: String,
    pub json_href: String,
    pub source_file: String,
    pub contacts: Option<Contacts>,
    pub initial_budget: String,
    pub adjusted_budget: String,
    pub executed: String,
    /// The rate as the form writes it, and B ÷ A as the tool computes it.
    pub rate: String,
    pub rate_computed: String,
    pub execution_weight: String,
    pub execution_score: String,
    pub execution_review: String,
    pub execution_reason: String,
    pub parts: Vec<PartView>,
    pub goals: Vec<GoalResultView>,
    pub indicators: Vec<EvalIndicatorView>,
    /// Declared indicators the self-evaluation leaves out.
    pub dropped: Vec<DroppedView>,
    pub changed: usize,
    pub added: usize,
    /// Whether the department's declaration of the year is published (else the declared
    /// column says so).
    pub has_declaration: bool,
    pub total_weight: String,
    pub self_score: String,
    pub review_score: String,
    /// Self-score − review score, `+1.20` when the department scored itself higher.
    pub gap: String,
    pub grade: String,
    pub review_grade: String,
    pub conclusion: String,
    pub problems: String,
    pub measures: String,
    pub notes_summary: String,
    pub report_href: String,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct PartView {
    pub label: String,
    pub initial_budget: String,
    pub adjusted_budget: String,
    pub executed: String,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct GoalResultView {
    pub expected: String,
    pub achieved: String,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct EvalIndicatorView {
    pub level1: String,
    pub level2: String,
    pub name: String,
    /// The declared 预期当年实现值 (`—` when the indicator was not declared).
    pub declared: String,
    pub target: String,
    pub changed: bool,
    pub added: bool,
    pub actual: String,
    pub score: String,
    pub weight: String,
    pub review: String,
    /// The department's score exceeds the review's by more than 0.01 (`score-above-rule`).
    pub inflated: bool,
    pub band: String,
    pub band_key: String,
    pub reason: String,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct DroppedView {
    pub level1: String,
    pub name: String,
    pub target: String,
}

/// A number as the form writes it, or `—`.
fn num(d: Option<Decimal>) -> String {
    d.map_or_else(|| "—".to_owned(), |v| v.normalize().to_string())
}

fn score(d: Option<Decimal>) -> String {
    d.map_or_else(|| "—".to_owned(), |v| format!("{:.2}", review::round2(v)))
}

fn t(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

/// How a self-evaluation compares with its declaration: per evaluated indicator, the declared
/// target (`None` when added); the declared indicators left out.
pub struct Compared<'a> {
    pub declared: Vec<Option<&'a str>>,
    pub dropped: Vec<(&'a str, &'a str, &'a str)>,
    pub has_declaration: bool,
}

pub fn compare<'a>(dep: &'a Department<'_>, f: &EvalForm<'_>) -> Compared<'a> {
    let e = &f.evaluation.form;
    let (Some(declared), Some(p)) = (dep.declared_indicators(f.year), &f.pairing) else {
        return Compared {
            declared: vec![None; e.indicators.len()],
            dropped: Vec::new(),
            has_declaration: false,
        };
    };
    Compared {
        declared: p.matched.iter().map(|m| m.map(|j| declared[j].2)).collect(),
        dropped: p.dropped.iter().map(|j| declared[*j]).collect(),
        has_declaration: true,
    }
}

/// Self-score − review score, signed.
fn gap(self_score: Option<Decimal>, r: &Review) -> String {
    match self_score {
        Some(s) => {
            let g = review::round2(s - r.score);
            if g > Decimal::ZERO {
                format!("+{g:.2}")
            } else {
                format!("{g:.2}")
            }
        }
        None => "—".to_owned(),
    }
}

pub fn evaluation_view(
    d: &District<'_>,
    dep: &Department<'_>,
    f: &EvalForm<'_>,
    config: &SiteConfig,
    root: &str,
) -> EvaluationView {
    let e = &f.evaluation.form;
    let r = &f.review;
    let compared = compare(dep, f);
    let indicators: Vec<EvalIndicatorView> = e
        .indicators
        .iter()
        .zip(&r.indicators)
        .zip(&compared.declared)
        .zip(&f.changed)
        .map(|(((i, ir), declared), &changed)| {
            let target = evaluated_target(i, e.layout).unwrap_or_default();
            EvalIndicatorView {
                level1: t(&i.level1),
                level2: t(&i.level2),
                name: t(&i.name),
                declared: declared.map_or_else(|| "—".to_owned(), str::to_owned),
                changed,
                added: compared.has_declaration && declared.is_none(),
                target,
                actual: t(&i.actual),
                score: num(i.score),
                weight: num(i.weight),
                review: score(ir.score),
                inflated: i
                    .score
                    .zip(ir.score)
                    .is_some_and(|(w, r)| w - r > Decimal::new(1, 2)),
                band: ir.band.map_or("", |b| b.label_zh()).to_owned(),
                band_key: ir.band.map_or("", |b| b.key()).to_owned(),
                reason: t(&i.reason),
            }
        })
        .collect();
    let x = &e.execution;
    EvaluationView {
        year: f.year,
        anchor: format!("e{}", f.year),
        layout: e.layout.title().to_owned(),
        json_href: format!("{root}{}", evaluation_json(d, dep, f.year)),
        source_file: f.file.to_owned(),
        contacts: config.publish_contacts.then(|| Contacts {
            filled_by: t(&e.filled_by),
            phone: t(&e.phone),
        }),
        initial_budget: money(x.initial_budget),
        adjusted_budget: money(x.adjusted_budget),
        executed: money(x.executed),
        rate: percent(x.rate_percent),
        rate_computed: percent(r.rate_percent),
        execution_weight: num(x.weight),
        execution_score: num(x.score),
        execution_review: score(r.execution_score),
        execution_reason: t(&x.reason),
        parts: x
            .parts
            .iter()
            .map(|p| PartView {
                label: p.label.clone(),
                initial_budget: money(p.initial_budget),
                adjusted_budget: money(p.adjusted_budget),
                executed: money(p.executed),
            })
            .collect(),
        goals: e
            .goals
            .iter()
            .map(|g| GoalResultView {
                expected: t(&g.expected),
                achieved: t(&g.achieved),
            })
            .collect(),
        changed: indicators.iter().filter(|i| i.changed).count(),
        added: indicators.iter().filter(|i| i.added).count(),
        indicators,
        dropped: compared
            .dropped
            .iter()
            .map(|(l, n, tg)| DroppedView {
                level1: (*l).to_owned(),
                name: (*n).to_owned(),
                target: (*tg).to_owned(),
            })
            .collect(),
        has_declaration: compared.has_declaration,
        total_weight: num(e.total.weight),
        self_score: num(e.total.score),
        review_score: score(Some(r.score)),
        gap: gap(e.total.score, r),
        grade: t(&e.total.grade),
        review_grade: r.grade.label_zh().to_owned(),
        conclusion: t(&e.conclusion),
        problems: t(&e.problems),
        measures: t(&e.measures),
        notes_summary: super::department::notes_summary(&f.notes),
        report_href: format!("{root}{}", f.report_href),
    }
}

/// A year's self-evaluations across the district, for the dashboard and the year page.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct EvalBoard {
    pub year: i32,
    /// One row per department with a self-evaluation of the year, largest gap first; beyond
    /// `2 × BOARD_ENDS` departments the first and last `BOARD_ENDS` (`ends`).
    pub rows: Vec<EvalRow>,
    /// Departments with a self-evaluation of the year, and how many the rows leave out.
    pub rows_total: usize,
    pub rows_left_out: usize,
    pub rows_ends: usize,
    /// The year's self-evaluation table (CSV), which lists every department.
    pub csv_href: String,
    /// 优/良/中/差: how many departments graded themselves so, and how many the review does.
    pub grades: Vec<GradeCount>,
    /// The year's changed or dropped targets in the district's order of departments, the
    /// first `CHANGES_SHOWN` of them: a giant district's page stays readable, and the year's
    /// table of them (`changes_csv_href`, `changes_xlsx_href`) has every one.
    pub changes: Vec<TargetChange>,
    pub changes_total: usize,
    pub changes_csv_href: String,
    pub changes_xlsx_href: String,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct EvalRow {
    pub department: String,
    pub href: String,
    pub execution: String,
    pub execution_sort: String,
    pub self_score: String,
    pub self_sort: String,
    pub review: String,
    pub review_sort: String,
    pub gap: String,
    pub gap_sort: String,
    pub grade: String,
    pub review_grade: String,
    pub changed: usize,
    pub dropped: usize,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct GradeCount {
    pub grade: String,
    pub written: usize,
    pub reviewed: usize,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct TargetChange {
    pub department: String,
    pub href: String,
    pub indicator: String,
    pub declared: String,
    /// The evaluated target; empty when the indicator was dropped.
    pub evaluated: String,
    pub dropped: bool,
}

/// The most changed or dropped targets a page lists (`EvalBoard::changes`).
pub const CHANGES_SHOWN: usize = 300;

/// One self-evaluation's changed targets (in its order) and then the declared targets it
/// left out; `href` is where a listing links them.
pub fn target_changes(dep: &Department<'_>, f: &EvalForm<'_>, href: &str) -> Vec<TargetChange> {
    let e = &f.evaluation.form;
    let dropped = f.pairing.as_ref().is_some_and(|p| !p.dropped.is_empty());
    if !dropped && !f.changed.contains(&true) {
        return Vec::new();
    }
    let compared = compare(dep, f);
    let mut out = Vec::new();
    for ((i, declared), _) in e
        .indicators
        .iter()
        .zip(&compared.declared)
        .zip(&f.changed)
        .filter(|(_, changed)| **changed)
    {
        out.push(TargetChange {
            department: dep.name.clone(),
            href: href.to_owned(),
            indicator: t(&i.name),
            declared: declared.unwrap_or_default().to_owned(),
            evaluated: evaluated_target(i, e.layout).unwrap_or_default(),
            dropped: false,
        });
    }
    for (_, name, target) in &compared.dropped {
        out.push(TargetChange {
            department: dep.name.clone(),
            href: href.to_owned(),
            indicator: (*name).to_owned(),
            declared: (*target).to_owned(),
            evaluated: String::new(),
            dropped: true,
        });
    }
    out
}

/// The years of the district's published self-evaluations, latest first.
pub fn evaluated_years(d: &District<'_>) -> Vec<i32> {
    let mut years: Vec<i32> = d
        .departments
        .iter()
        .flat_map(|dep| dep.evaluations.iter().map(|e| e.year))
        .collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    years
}

/// The board of `year`, or `None` when no department evaluated it. `root` leads to the site
/// root from the page it is shown on.
pub fn eval_board(d: &District<'_>, year: i32, root: &str) -> Option<EvalBoard> {
    use crate::model::review::Grade;
    let mut rows: Vec<(Decimal, EvalRow)> = Vec::new();
    let mut changes = Vec::new();
    let mut written = [0usize; 4];
    let mut reviewed = [0usize; 4];
    for dep in &d.departments {
        let Some(f) = dep.evaluations.iter().find(|e| e.year == year) else {
            continue;
        };
        let href = format!("{root}{}#e{year}", department_page(d, dep));
        let e = &f.evaluation.form;
        let r = &f.review;
        let these = target_changes(dep, f, &href);
        let changed = these.iter().filter(|c| !c.dropped).count();
        let dropped = these.len() - changed;
        changes.extend(these);
        let grade_index = |g: Grade| Grade::ALL.iter().position(|x| *x == g).unwrap_or(3);
        if let Some(g) = e.total.grade.as_deref().and_then(Grade::from_written) {
            written[grade_index(g)] += 1;
        } else if let Some(s) = e.total.score {
            written[grade_index(Grade::of(s))] += 1;
        }
        reviewed[grade_index(r.grade)] += 1;
        let gap_value = e.total.score.map(|s| s - r.score);
        rows.push((
            gap_value.unwrap_or(Decimal::MIN),
            EvalRow {
                department: dep.name.clone(),
                href,
                execution: percent(r.rate_percent),
                execution_sort: plain(r.rate_percent),
                self_score: score(e.total.score),
                self_sort: plain(e.total.score),
                review: score(Some(r.score)),
                review_sort: plain(Some(r.score)),
                gap: gap(e.total.score, r),
                gap_sort: plain(gap_value),
                grade: e.total.grade.clone().unwrap_or_else(|| {
                    e.total
                        .score
                        .map_or(String::new(), |s| Grade::of(s).label_zh().to_owned())
                }),
                review_grade: r.grade.label_zh().to_owned(),
                changed,
                dropped,
            },
        ));
    }
    if rows.is_empty() {
        return None;
    }
    // Largest gap first; names in order among equals.
    rows.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| a.1.department.cmp(&b.1.department))
    });
    let rows_total = rows.len();
    let (rows, rows_left_out) = ends(rows.into_iter().map(|(_, r)| r).collect(), BOARD_ENDS);
    let changes_total = changes.len();
    changes.truncate(CHANGES_SHOWN);
    Some(EvalBoard {
        year,
        rows,
        rows_total,
        rows_left_out,
        rows_ends: BOARD_ENDS,
        csv_href: format!(
            "{root}{}",
            crate::output::evaluations::table_path(d, year, "csv")
        ),
        grades: Grade::ALL
            .iter()
            .enumerate()
            .map(|(k, g)| GradeCount {
                grade: g.label_zh().to_owned(),
                written: written[k],
                reviewed: reviewed[k],
            })
            .collect(),
        changes,
        changes_total,
        changes_csv_href: format!(
            "{root}{}",
            crate::output::evaluations::changes_path(d, year, "csv")
        ),
        changes_xlsx_href: format!(
            "{root}{}",
            crate::output::evaluations::changes_path(d, year, "xlsx")
        ),
    })
}

/// What the downloads say of one self-evaluation: the tool's review and how its targets
/// compare with the declaration's.
pub struct EvalSummary<'a> {
    pub review: &'a Review,
    pub changed: usize,
    pub dropped: usize,
    pub added: usize,
    pub has_declaration: bool,
}

pub fn summary<'a>(f: &'a EvalForm<'_>) -> EvalSummary<'a> {
    let (dropped, added) = f.pairing.as_ref().map_or((0, 0), |p| {
        let added = p.matched.iter().filter(|m| m.is_none()).count();
        (p.dropped.len(), added)
    });
    EvalSummary {
        review: &f.review,
        changed: f.changed.iter().filter(|c| **c).count(),
        dropped,
        added,
        has_declaration: f.pairing.is_some(),
    }
}
