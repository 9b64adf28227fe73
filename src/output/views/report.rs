//! The validation report (grouped by department and file, Chinese rule names, the sample-data
//! banner) and the method page's rule catalog and taxonomy tables.

use super::*;

#[derive(Debug, Clone, Hash, Serialize)]
pub struct ReportView {
    pub meta: PageMeta,
    /// This page's number (1 for `report.html`, which also holds the summary).
    pub page: usize,
    /// Every page of the report, for the pager (empty when the report is one page).
    pub pages: Vec<PageLink>,
    /// Files withheld beyond those listed on the first page (`UNPUBLISHED_SHOWN`).
    pub unpublished_more: usize,
    /// Files withheld in all.
    pub unpublished_total: usize,
    pub files: usize,
    pub declarations: usize,
    pub errors: usize,
    pub warnings: usize,
    pub rules: Vec<RuleCount>,
    pub unpublished: Vec<UnpublishedView>,
    pub groups: Vec<FileGroup>,
    /// Districts whose data is fictional (`sample_data`): the report says so.
    pub sample_districts: Vec<String>,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct RuleCount {
    pub code: String,
    pub title: String,
    pub severity: String,
    pub severity_label: String,
    pub count: usize,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct UnpublishedView {
    pub file: String,
    pub reasons: Vec<String>,
    /// Its findings on the report (from the site root), when the report lists them.
    pub href: Option<String>,
}

/// A page of a paginated listing, for its pager.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct PageLink {
    pub number: usize,
    /// From the site root.
    pub href: String,
    pub current: bool,
}

/// Withheld files the report's first page lists at most (each with its errors); the rest are
/// counted there, and each is listed with its findings on the page that holds them.
pub const UNPUBLISHED_SHOWN: usize = 200;

/// One form's findings on the report: who filed it (linked when published), the file and sheet
/// it came from, and each finding with its Chinese rule name and line.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct FileGroup {
    /// The id department pages link to (`report.html#f-…`).
    pub anchor: String,
    /// The department as the form names it, or empty for a file read as no declaration.
    pub department: String,
    pub year: Option<i32>,
    /// The department's page, when the form is published there.
    pub href: Option<String>,
    pub published: bool,
    pub file: String,
    pub sheet: Option<String>,
    pub errors: usize,
    pub warnings: usize,
    pub diagnostics: Vec<NoteView>,
}

pub use crate::analyze::report::{anchor as report_anchor, shorten};

/// The rule catalog as a table (for the report and the method page).
pub fn rule_catalog() -> Vec<RuleCount> {
    Code::ALL
        .iter()
        .map(|c| RuleCount {
            code: c.as_str().to_owned(),
            title: c.title_zh().to_owned(),
            severity: c.severity().as_str().to_owned(),
            severity_label: c.severity().label_zh().to_owned(),
            count: 0,
        })
        .collect()
}

/// The validation report, a view per page (`analyze::report`): the first holds the summary
/// (counts by rule, withheld files) and the first forms' findings, the others the forms after.
pub fn report(
    batch: &crate::load::Batch,
    model: &SiteModel<'_>,
    config: &SiteConfig,
) -> Vec<ReportView> {
    let sample_districts: Vec<String> = model
        .districts
        .iter()
        .filter(|d| d.sample_data)
        .map(|d| d.name.clone())
        .collect();
    let mut per_code: BTreeMap<&str, usize> = BTreeMap::new();
    for d in &batch.diagnostics {
        *per_code.entry(d.code.as_str()).or_default() += 1;
    }
    let rules: Vec<RuleCount> = rule_catalog()
        .into_iter()
        .map(|mut r| {
            r.count = per_code.get(r.code.as_str()).copied().unwrap_or(0);
            r
        })
        .collect();
    let Counts { errors, warnings } = batch.counts();
    let unpublished: Vec<UnpublishedView> = model
        .unpublished
        .iter()
        .take(UNPUBLISHED_SHOWN)
        .map(|u| UnpublishedView {
            file: u.file.to_owned(),
            reasons: if u.errors.is_empty() {
                vec!["缺少部门名称或预算年度".to_owned()]
            } else {
                u.errors
                    .iter()
                    .map(|e| format!("[{}] {}", e.code, e.message))
                    .collect()
            },
            href: (!u.errors.is_empty()).then(|| model.report.href(u.file, u.sheet)),
        })
        .collect();
    let unpublished_more = model.unpublished.len() - unpublished.len();
    let count = model.report.count();
    let mut by_page: Vec<Vec<FileGroup>> = vec![Vec::new(); count];
    for (page, group) in file_groups(model) {
        by_page[page.min(count) - 1].push(group);
    }
    by_page
        .into_iter()
        .enumerate()
        .map(|(i, groups)| {
            let page = i + 1;
            let path = crate::analyze::report::page_path(page);
            let title = if count > 1 {
                format!("校验报告（第 {page} 页，共 {count} 页）")
            } else {
                "校验报告".to_owned()
            };
            let meta = PageMeta::new(config, &title, &path, "report");
            let pages = if count > 1 {
                (1..=count)
                    .map(|n| PageLink {
                        number: n,
                        href: crate::analyze::report::page_path(n),
                        current: n == page,
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let first = page == 1;
            ReportView {
                meta,
                page,
                pages,
                unpublished_more: if first { unpublished_more } else { 0 },
                unpublished_total: model.unpublished.len(),
                files: batch.files.len(),
                declarations: batch.declarations(),
                errors,
                warnings,
                rules: if first { rules.clone() } else { Vec::new() },
                unpublished: if first {
                    unpublished.clone()
                } else {
                    Vec::new()
                },
                groups,
                sample_districts: sample_districts.clone(),
            }
        })
        .collect()
}

/// The report's groups with their pages (`analyze::report::groups`), each linked to its
/// department's page when published.
fn file_groups(model: &SiteModel<'_>) -> Vec<(usize, FileGroup)> {
    // Where each file with findings is published: only those files' links are made (every
    // form's, in a tree, was most of a one-form rebuild's report job at 20,000 departments,
    // for a report of a few files). Looked up, never iterated: no order reaches the page.
    let mut pages: rustc_hash::FxHashMap<(&str, Option<&str>), Option<String>> = model
        .report_groups
        .iter()
        .map(|g| ((g.file, g.sheet), None))
        .collect();
    if !pages.is_empty() {
        for d in &model.districts {
            for dep in &d.departments {
                let forms = dep
                    .forms
                    .iter()
                    .map(|f| (f.file, f.source.sheet.as_deref(), 'y', f.year));
                let evaluations = dep
                    .evaluations
                    .iter()
                    .map(|e| (e.file, e.evaluation.sheet.as_deref(), 'e', e.year));
                for (file, sheet, mark, year) in forms.chain(evaluations) {
                    if let Some(href) = pages.get_mut(&(file, sheet)) {
                        *href = Some(format!("{}#{mark}{year}", department_page(d, dep)));
                    }
                }
            }
        }
    }
    model
        .report_groups
        .iter()
        .map(|g| {
            let href = pages.get(&(g.file, g.sheet)).cloned().flatten();
            (g.page, file_group(g, href))
        })
        .collect()
}

fn file_group(g: &crate::analyze::report::ReportGroup<'_>, href: Option<String>) -> FileGroup {
    let (errors, warnings) = g
        .diagnostics
        .iter()
        .fold((0, 0), |(e, w), d| match d.severity {
            Severity::Error => (e + 1, w),
            Severity::Warning => (e, w + 1),
        });
    FileGroup {
        anchor: g.anchor(),
        department: g.department.clone(),
        year: g.year,
        published: href.is_some(),
        href,
        file: g.file.to_owned(),
        sheet: g.sheet.map(str::to_owned),
        errors,
        warnings,
        diagnostics: g.diagnostics.iter().map(NoteView::from).collect(),
    }
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct TaxonomyRow {
    pub level1: String,
    pub level2: String,
}

/// Taxonomy for the method page: level-1 → allowed level-2 names.
pub fn taxonomy_rows() -> Vec<TaxonomyRow> {
    ["产出", "效益", "满意度", "成本"]
        .iter()
        .map(|l1| TaxonomyRow {
            level1: format!("{l1}指标"),
            level2: taxonomy::describe_level2(l1),
        })
        .collect()
}
