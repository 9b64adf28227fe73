//! Self-evaluations in the site model: each one without errors joins the department of the
//! same district whose matching key (aliases applied) it names; one with errors is listed as
//! not published (it withholds no declaration). A self-evaluation of a department without a
//! published declaration has no page to join: the report lists its `no-declaration` warning.
//! On joining, each is reviewed and paired with its year's declared indicators, once, for
//! every page and download that shows it.

use super::{District, Unpublished};
use crate::diagnostic::Diagnostic;
use crate::ingest::FileOutcome;
use crate::model::identity::Aliases;
use crate::model::review::Review;
use crate::model::self_evaluation::Evaluation;
use crate::rules::self_eval::{changed_targets, pair_with, Pairing};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// A published self-evaluation.
#[derive(Debug, Clone)]
pub struct EvalForm<'a> {
    pub file: &'a str,
    /// The worksheet it came from, for a workbook.
    pub sheet: Option<&'a str>,
    /// Hash of its file's bytes: with the file, sheet and the tool's and config's keys, what
    /// the pages made from it are keyed by (hashing the form itself cost a tenth of what the
    /// self-evaluations add to a build).
    pub digest: u64,
    pub year: i32,
    pub evaluation: &'a Evaluation,
    /// The tool's review (contract §3), made once: the department page, the dashboard and
    /// both downloads show it.
    pub review: Review,
    /// How its indicators pair with the declared ones of `Department::declared_indicators`
    /// for its year (`None` without a declaration that year), paired once when it joins its
    /// department: the page, the dashboard and both downloads compare the two forms.
    pub pairing: Option<Pairing>,
    /// For each of its indicators, whether the target differs from the declared one it pairs
    /// with (all `false` without a declaration): the page, the boards and both tables mark
    /// or count these.
    pub changed: Vec<bool>,
    /// Its warnings, in report order.
    pub notes: Vec<&'a Diagnostic>,
    /// Its findings on the validation report, from the site root (`report::ReportPages`).
    pub report_href: String,
}

/// Self-evaluations by district folder and department key, waiting for their departments.
#[derive(Debug, Default)]
pub struct Evaluations<'a> {
    by_department: BTreeMap<(String, String), Vec<Joining<'a>>>,
}

/// A self-evaluation waiting for its department: an `EvalForm` before its review and pairing.
#[derive(Debug)]
struct Joining<'a> {
    file: &'a str,
    sheet: Option<&'a str>,
    digest: u64,
    year: i32,
    evaluation: &'a Evaluation,
    notes: Vec<&'a Diagnostic>,
    report_href: String,
}

impl<'a> Evaluations<'a> {
    /// Takes one outcome's self-evaluation; gives it back as not published when it has errors
    /// or names no department or year.
    pub fn add(
        &mut self,
        outcome: &'a FileOutcome,
        evaluation: &'a Evaluation,
        district: String,
        errors: Vec<&'a Diagnostic>,
        aliases: &Aliases,
        report: &super::report::ReportPages,
    ) -> Option<Unpublished<'a>> {
        let form = &evaluation.form;
        let key = form
            .department
            .as_deref()
            .map(|n| aliases.key(n))
            .filter(|k| !k.is_empty());
        match (key, form.fiscal_year) {
            (Some(key), Some(year)) if errors.is_empty() => {
                self.by_department
                    .entry((district, key))
                    .or_default()
                    .push(Joining {
                        file: &outcome.file.display,
                        sheet: outcome.sheet.as_deref(),
                        digest: outcome.digest,
                        year,
                        evaluation,
                        notes: outcome.diagnostics.iter().collect(),
                        report_href: report.href(&outcome.file.display, outcome.sheet.as_deref()),
                    });
                None
            }
            _ => Some(Unpublished {
                file: &outcome.file.display,
                errors,
                district,
                department: None,
                year: None,
                name: None,
                sheet: outcome.sheet.as_deref(),
            }),
        }
    }

    /// Gives every department its self-evaluations, latest year first, each reviewed and
    /// paired with its year's declaration (departments in parallel: with thousands of
    /// self-evaluations this is most of the model's making).
    pub fn attach(mut self, districts: &mut [District<'a>]) {
        for d in districts.iter_mut() {
            let waiting: Vec<Vec<Joining<'a>>> = d
                .departments
                .iter()
                .map(|dep| {
                    let key = (d.folder.clone(), dep.key.clone());
                    self.by_department.remove(&key).unwrap_or_default()
                })
                .collect();
            d.departments
                .par_iter_mut()
                .zip(waiting)
                .for_each(|(dep, mut forms)| {
                    forms.sort_by(|a, b| b.year.cmp(&a.year).then_with(|| a.file.cmp(b.file)));
                    dep.evaluations = forms
                        .into_iter()
                        .map(|f| {
                            let form = &f.evaluation.form;
                            let (pairing, changed) = match dep.form_of(f.year) {
                                Some(declaration) => {
                                    // The rules paired it with this declaration already,
                                    // unless another of the year's stood first there.
                                    let (p, changed) = f.evaluation.paired_with(
                                        declaration.file,
                                        declaration.source.sheet.as_deref(),
                                        || {
                                            let declared: Vec<(&str, &str, &str)> = declaration
                                                .facts
                                                .search
                                                .named_indicators()
                                                .map(|i| (i.level1, i.name, i.target))
                                                .collect();
                                            let rows =
                                                declared.iter().map(|(l1, name, _)| (*l1, *name));
                                            let p = pair_with(form, rows);
                                            let changed =
                                                changed_targets(form, &p, |j| declared[j].2);
                                            (p, changed)
                                        },
                                    );
                                    (Some(p), changed)
                                }
                                None => (None, vec![false; form.indicators.len()]),
                            };
                            EvalForm {
                                pairing,
                                changed,
                                review: f.evaluation.review().clone(),
                                file: f.file,
                                sheet: f.sheet,
                                digest: f.digest,
                                year: f.year,
                                evaluation: f.evaluation,
                                notes: f.notes,
                                report_href: f.report_href,
                            }
                        })
                        .collect();
                });
        }
    }
}
