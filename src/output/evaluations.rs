//! The self-evaluations' downloads: per evaluated year a table of the district's departments
//! (`<district>/years/<year>/self-evaluations.csv` and `.xlsx`: execution, both scores, both
//! grades, changed / dropped / added targets), and each department's `evaluations` in
//! `district.json` (left out when it has none, so a site without self-evaluations keeps its
//! bytes), and per evaluated year every changed or dropped target
//! (`<district>/years/<year>/changed-targets.csv` and `.xlsx`). Figures are exact until here and
//! rounded to 2 places on output.

use crate::analyze::{Department, District};
use crate::format::round;
use crate::output::tables::{Cell, Table};
use crate::output::views::{self, summary};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// A year's self-evaluation table, relative to the site root.
pub fn table_path(d: &District<'_>, year: i32, ext: &str) -> String {
    format!("{}/years/{year}/self-evaluations.{ext}", d.slug)
}

/// A year's changed and dropped targets, relative to the site root.
pub fn changes_path(d: &District<'_>, year: i32, ext: &str) -> String {
    format!("{}/years/{year}/changed-targets.{ext}", d.slug)
}

/// Every changed or dropped target of the district's self-evaluations of `year`, one row each
/// (the dashboard lists the first `views::CHANGES_SHOWN`); `None` when the year has no
/// self-evaluation, a table of no rows when none changed.
pub fn changes_table(d: &District<'_>, year: i32) -> Option<Table> {
    if !has_table(d, year) {
        return None;
    }
    let mut rows = Vec::new();
    for dep in &d.departments {
        let Some(f) = dep.evaluations.iter().find(|e| e.year == year) else {
            continue;
        };
        for (n, c) in views::target_changes(dep, f, "").into_iter().enumerate() {
            rows.push(vec![
                Cell::Text(c.department),
                Cell::Integer(n as i64 + 1),
                Cell::Text(c.indicator),
                Cell::Text(c.declared),
                Cell::Text(c.evaluated),
                Cell::Text(
                    if c.dropped {
                        "未自评"
                    } else {
                        "指标值改动"
                    }
                    .to_owned(),
                ),
            ]);
        }
    }
    Some(Table {
        name: format!("{year}年改动或未自评的指标"),
        headers: ["部门", "序号", "指标", "申报指标值", "自评指标值", "情况"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
        rows,
    })
}

fn r2(d: Option<Decimal>) -> Option<Decimal> {
    d.map(|v| round(v, 2))
}

/// Whether `table(d, year)` has rows, without making them (the data packages ask per year).
pub fn has_table(d: &District<'_>, year: i32) -> bool {
    d.departments
        .iter()
        .any(|dep| dep.evaluations.iter().any(|e| e.year == year))
}

/// The district's self-evaluations of `year`, one row per department in the district's order;
/// `None` when there are none.
pub fn table(d: &District<'_>, year: i32) -> Option<Table> {
    let rows: Vec<Vec<Cell>> = d
        .departments
        .iter()
        .filter_map(|dep| {
            let f = dep.evaluations.iter().find(|e| e.year == year)?;
            let e = &f.evaluation.form;
            let s = summary(f);
            let x = &e.execution;
            let gap = e.total.score.map(|t| t - s.review.score);
            Some(vec![
                Cell::Text(dep.name.clone()),
                Cell::Integer(i64::from(year)),
                Cell::Amount(x.initial_budget),
                Cell::Amount(x.adjusted_budget),
                Cell::Amount(x.executed),
                Cell::Percent(r2(s.review.rate_percent)),
                Cell::Amount(x.weight),
                Cell::Amount(x.score),
                Cell::Amount(s.review.execution_score),
                Cell::Amount(e.total.score),
                Cell::Amount(Some(s.review.score)),
                Cell::Amount(r2(gap)),
                Cell::Text(e.total.grade.clone().unwrap_or_default()),
                Cell::Text(s.review.grade.label_zh().to_owned()),
                Cell::Integer(e.indicators.len() as i64),
                Cell::Integer(s.changed as i64),
                Cell::Integer(s.dropped as i64),
                Cell::Integer(s.added as i64),
                Cell::Integer(f.notes.len() as i64),
            ])
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    Some(Table {
        name: format!("{year}年绩效自评"),
        headers: [
            "部门",
            "年度",
            "年初预算数（万元）",
            "全年预算数（万元）",
            "全年执行数（万元）",
            "预算执行率（%）",
            "预算执行分值",
            "预算执行自评得分",
            "预算执行复核得分",
            "自评得分",
            "复核得分",
            "自评高出复核",
            "自评等级",
            "复核等级",
            "指标数",
            "指标值改动数",
            "未自评的申报指标数",
            "新增指标数",
            "提示数",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect(),
        rows,
    })
}

/// One self-evaluation in `district.json`.
#[derive(Debug, Clone, Serialize)]
pub struct EvaluationJson {
    #[serde(with = "crate::format::json_number")]
    pub initial_budget: Option<Decimal>,
    #[serde(with = "crate::format::json_number")]
    pub adjusted_budget: Option<Decimal>,
    #[serde(with = "crate::format::json_number")]
    pub executed: Option<Decimal>,
    #[serde(with = "crate::format::json_number")]
    pub execution_percent: Option<Decimal>,
    #[serde(with = "crate::format::json_number")]
    pub self_score: Option<Decimal>,
    #[serde(with = "crate::format::json_number")]
    pub review_score: Option<Decimal>,
    pub grade: Option<String>,
    pub review_grade: String,
    pub changed_targets: usize,
    pub dropped_targets: usize,
    pub added_targets: usize,
    /// The self-evaluation's canonical JSON, relative to the site root.
    pub data: String,
}

/// A department's self-evaluations by year.
pub fn json_of(d: &District<'_>, dep: &Department<'_>) -> BTreeMap<String, EvaluationJson> {
    dep.evaluations
        .iter()
        .map(|f| {
            let s = summary(f);
            let e = &f.evaluation.form;
            (
                f.year.to_string(),
                EvaluationJson {
                    initial_budget: r2(e.execution.initial_budget),
                    adjusted_budget: r2(e.execution.adjusted_budget),
                    executed: r2(e.execution.executed),
                    execution_percent: r2(s.review.rate_percent),
                    self_score: r2(e.total.score),
                    review_score: r2(Some(s.review.score)),
                    grade: e.total.grade.clone(),
                    review_grade: s.review.grade.label_zh().to_owned(),
                    changed_targets: s.changed,
                    dropped_targets: s.dropped,
                    added_targets: s.added,
                    data: views::evaluation_json(d, dep, f.year),
                },
            )
        })
        .collect()
}
