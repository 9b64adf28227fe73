//! Machine-readable downloads for dashboards: `data/district.json` (schema `district/v1`), per
//! district and for the whole site. Figures are exact until here and rounded to 2 places on
//! output; page paths are relative to the site root.

use crate::analyze::stats::DistrictFigures;
use crate::analyze::{District, SiteModel};
use crate::format::round;
use crate::model::amounts::Amounts;
use crate::model::Row;
use crate::output::tables::{Cell, Table};
use crate::output::views;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

pub const SCHEMA: &str = "district/v1";

#[derive(Debug, Clone, Serialize)]
pub struct DistrictJson {
    pub schema: &'static str,
    pub unit: &'static str,
    /// The district's name (or the site's title for the whole-site file).
    pub name: String,
    pub years: BTreeMap<String, YearJson>,
    pub departments: Vec<DepartmentJson>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct YearJson {
    pub budget: Option<Amounts>,
    pub actual: Option<Amounts>,
    pub departments: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct DepartmentJson {
    pub department: String,
    pub slug: String,
    pub page: String,
    pub district: String,
    pub series: BTreeMap<String, SeriesJson>,
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    pub cagr_percent: Option<Decimal>,
    /// Its self-evaluations by year (left out when it has none).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub evaluations: BTreeMap<String, crate::output::evaluations::EvaluationJson>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SeriesJson {
    pub budget: Option<Amounts>,
    pub actual: Option<Amounts>,
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    pub budget_growth_percent: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    pub execution_percent: Option<Decimal>,
}

fn r2(d: Option<Decimal>) -> Option<Decimal> {
    d.map(|v| round(v, 2))
}

pub fn district(d: &District<'_>, figures: &DistrictFigures) -> DistrictJson {
    let years = d
        .totals
        .iter()
        .map(|(y, p)| {
            (
                y.to_string(),
                YearJson {
                    budget: p.budget.map(|a| a.rounded(2)),
                    actual: p.actual.map(|a| a.rounded(2)),
                    departments: d.counts.get(y).copied().unwrap_or(0),
                },
            )
        })
        .collect();
    let departments = d
        .departments
        .iter()
        .zip(&figures.departments)
        .map(|(dep, f)| DepartmentJson {
            department: dep.name.clone(),
            slug: dep.slug.clone(),
            page: views::department_page(d, dep),
            district: d.name.clone(),
            series: f
                .years
                .iter()
                .map(|y| {
                    (
                        y.year.to_string(),
                        SeriesJson {
                            budget: y.budget.map(|a| a.rounded(2)),
                            actual: y.actual.map(|a| a.rounded(2)),
                            budget_growth_percent: r2(y.budget_growth),
                            execution_percent: r2(y.execution),
                        },
                    )
                })
                .collect(),
            cagr_percent: r2(f.cagr),
            evaluations: crate::output::evaluations::json_of(d, dep),
        })
        .collect();
    DistrictJson {
        schema: SCHEMA,
        unit: "万元",
        name: d.name.clone(),
        years,
        departments,
    }
}

/// The whole site as one `district/v1` document: every district's departments, years summed.
pub fn site(model: &SiteModel<'_>, per_district: &[DistrictJson], title: &str) -> DistrictJson {
    let mut years: BTreeMap<String, YearJson> = BTreeMap::new();
    for d in &model.districts {
        for (y, p) in &d.totals {
            let entry = years.entry(y.to_string()).or_default();
            if let Some(b) = &p.budget {
                entry.budget.get_or_insert_with(Amounts::default).add(b);
            }
            if let Some(a) = &p.actual {
                entry.actual.get_or_insert_with(Amounts::default).add(a);
            }
            entry.departments += d.counts.get(y).copied().unwrap_or(0);
        }
    }
    for y in years.values_mut() {
        y.budget = y.budget.map(|a| a.rounded(2));
        y.actual = y.actual.map(|a| a.rounded(2));
    }
    DistrictJson {
        schema: SCHEMA,
        unit: "万元",
        name: title.to_owned(),
        years,
        departments: per_district
            .iter()
            .flat_map(|d| d.departments.iter().cloned())
            .collect(),
    }
}

pub fn to_json(d: &DistrictJson) -> String {
    let mut s = serde_json::to_string_pretty(d).expect("district JSON serialises");
    s.push('\n');
    s
}

/// A district's departments in one budget year, as a download (CSV/XLSX): every department
/// that filed a form that year, with its figures.
pub fn year_table(d: &District<'_>, figures: &DistrictFigures, year: i32) -> Table {
    let rows = crate::analyze::stats::departments_in_year(d, figures, year)
        .into_iter()
        .filter(|r| r.form.is_some())
        .map(|r| {
            let y = r.figures;
            let b = y.and_then(|y| y.budget);
            let a = y.and_then(|y| y.actual);
            // A layout without an income block (Fujian) leaves those cells empty, not 0.
            let bi = b.filter(|_| r.form.is_some_and(|f| f.facts.has_income));
            let pct = |v: Option<Decimal>| Cell::Percent(r2(v));
            vec![
                Cell::Text(r.department.name.clone()),
                Cell::Integer(i64::from(year)),
                // A figure the form left blank is an empty cell, as on its page (未填).
                Cell::Amount(bi.and_then(|b| b.filled(Row::IncomeTotal))),
                Cell::Amount(bi.and_then(|b| b.filled(Row::FiscalAppropriation))),
                Cell::Amount(bi.and_then(|b| b.filled(Row::Other))),
                Cell::Amount(b.and_then(|b| b.filled(Row::ExpenditureTotal))),
                Cell::Amount(b.and_then(|b| b.filled(Row::Basic))),
                Cell::Amount(b.and_then(|b| b.filled(Row::Project))),
                pct(y.and_then(|y| y.basic_share)),
                pct(y.and_then(|y| y.project_share)),
                pct(y.and_then(|y| y.fiscal_dependence)),
                pct(y.and_then(|y| y.budget_growth)),
                Cell::Amount(a.and_then(|a| a.filled(Row::ExpenditureTotal))),
                pct(y.and_then(|y| y.execution)),
                Cell::Integer(r.quality.map_or(0, |q| q.indicators as i64)),
                Cell::Amount(r.quality.map(|q| round(q.score, 2))),
                Cell::Integer(r.warnings() as i64),
            ]
        })
        .collect();
    Table {
        name: format!("{year}年部门预算"),
        headers: crate::output::datapackage::YEAR_TABLE
            .iter()
            .map(|f| f.name.to_owned())
            .collect(),
        rows,
    }
}
