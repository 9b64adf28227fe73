//! Rules across files: `duplicate-submission` (two files, one department and budget year) and
//! `prior-year-revised` (a later form reports other actuals for a year than an earlier one).
//! Departments match by `identity::Aliases::key` (normalised name, aliases followed).

use super::{fmt_amount, money_tolerance};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::facts::Facts;
use crate::model::identity::Aliases;
use crate::model::Row;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// A declaration's facts with the file they came from, as the cross-file rules see them.
pub struct Entry<'a> {
    pub file: &'a str,
    /// The worksheet of a workbook's declaration.
    pub sheet: Option<&'a str>,
    pub facts: &'a Facts,
}

pub fn check(entries: &[Entry<'_>], aliases: &Aliases) -> Vec<Diagnostic> {
    // Departments in parallel (a serial step of every build, rebuilds included): each
    // entry's key, the entries in key order (a stable sort: as given within a department),
    // then each department's forms checked, the findings in department order.
    let mut keyed: Vec<(String, &Entry<'_>)> = entries
        .par_iter()
        .filter_map(|e| match (&e.facts.department, e.facts.fiscal_year) {
            (Some(name), Some(_)) => Some((aliases.key(name), e)),
            _ => None,
        })
        .filter(|(key, _)| !key.is_empty())
        .collect();
    keyed.par_sort_by(|a, b| a.0.cmp(&b.0));
    let departments: Vec<&[(String, &Entry<'_>)]> = keyed.chunk_by(|a, b| a.0 == b.0).collect();
    departments
        .par_iter()
        .flat_map_iter(|department| {
            let mut forms: Vec<&Entry<'_>> = department.iter().map(|(_, e)| *e).collect();
            forms.sort_by(|a, b| (a.facts.fiscal_year, a.file).cmp(&(b.facts.fiscal_year, b.file)));
            let mut out = Vec::new();
            duplicates(&forms, &mut out);
            revisions(&forms, &mut out);
            out
        })
        .collect()
}

fn duplicates(forms: &[&Entry<'_>], out: &mut Vec<Diagnostic>) {
    let mut by_year: BTreeMap<i32, Vec<&Entry<'_>>> = BTreeMap::new();
    for f in forms {
        if let Some(y) = f.facts.fiscal_year {
            by_year.entry(y).or_default().push(f);
        }
    }
    for (year, same) in by_year {
        if same.len() < 2 {
            continue;
        }
        for f in &same {
            let others: Vec<&str> = same
                .iter()
                .filter(|o| o.file != f.file)
                .map(|o| o.file)
                .collect();
            let department = f.facts.department.as_deref().unwrap_or_default();
            out.push(
                Diagnostic::new(
                    Code::DuplicateSubmission,
                    f.file,
                    format!(
                        "{department}的{year}年度申报表重复提交，另见：{}；请只保留一份",
                        others.join("、")
                    ),
                )
                .at(f.facts.anchor)
                .in_sheet(f.sheet),
            );
        }
    }
}

fn revisions(forms: &[&Entry<'_>], out: &mut Vec<Diagnostic>) {
    // Per (year, row): the forms reporting an actual for it, in budget-year order.
    let mut reported: BTreeMap<(i32, Row), Vec<(&Entry<'_>, rust_decimal::Decimal)>> =
        BTreeMap::new();
    for f in forms {
        for (row, facts) in f.facts.rows() {
            for (year, value) in facts.prior {
                if let Some(v) = value {
                    reported.entry((*year, row)).or_default().push((f, *v));
                }
            }
        }
    }
    for ((year, row), values) in reported {
        for pair in values.windows(2) {
            let (earlier, a) = pair[0];
            let (later, b) = pair[1];
            if earlier.facts.fiscal_year == later.facts.fiscal_year {
                continue; // a duplicate submission, reported as such
            }
            if (a - b).abs() > money_tolerance() {
                let earlier_year = earlier.facts.fiscal_year.unwrap_or_default();
                out.push(
                    Diagnostic::new(
                        Code::PriorYearRevised,
                        later.file,
                        format!(
                            "{year}年{}实际数本表填 {}，与{earlier_year}年度申报表（{}）填的 {} 不一致，请核实并说明调整原因",
                            row.label(),
                            fmt_amount(b),
                            earlier.file,
                            fmt_amount(a)
                        ),
                    )
                    .at(later.facts.row(row).line)
                    .in_sheet(later.sheet),
                );
            }
        }
    }
}
