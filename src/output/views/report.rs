//! The validation report (grouped by department and file, Chinese rule names, the sample-data
//! banner) and the method page's rule catalog and taxonomy tables.

use super::*;

#[derive(Debug, Clone, Hash, Serialize)]
pub struct ReportView {
    pub meta: PageMeta,
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
}

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

/// `text` cut to at most `chars` characters, with `…` where it was cut.
pub(crate) fn shorten(text: &str, chars: usize) -> String {
    match text.char_indices().nth(chars) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// The report's anchor for the findings of one declaration (a file, and a worksheet of it).
pub fn report_anchor(file: &str, sheet: Option<&str>) -> String {
    let key = match sheet {
        Some(sheet) => format!("{file}\u{0}{sheet}"),
        None => file.to_owned(),
    };
    format!("f-{}", crate::hash::slug(&key))
}

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

pub fn report(
    batch: &crate::load::Batch,
    model: &SiteModel<'_>,
    config: &SiteConfig,
) -> ReportView {
    let meta = PageMeta::new(config, "校验报告", "report.html", "report");
    let sample_districts = model
        .districts
        .iter()
        .filter(|d| d.sample_data)
        .map(|d| d.name.clone())
        .collect();
    let mut per_code: BTreeMap<&str, usize> = BTreeMap::new();
    for d in &batch.diagnostics {
        *per_code.entry(d.code.as_str()).or_default() += 1;
    }
    let rules = rule_catalog()
        .into_iter()
        .map(|mut r| {
            r.count = per_code.get(r.code.as_str()).copied().unwrap_or(0);
            r
        })
        .collect();
    let groups = file_groups(batch, model);
    let Counts { errors, warnings } = batch.counts();
    ReportView {
        meta,
        files: batch.files.len(),
        declarations: batch.declarations(),
        errors,
        warnings,
        rules,
        unpublished: model
            .unpublished
            .iter()
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
            })
            .collect(),
        groups,
        sample_districts,
    }
}

/// The report's groups: a file (or a workbook's sheet) with its findings, linked to its
/// department's page when published; findings on no file read (a folder that could not be
/// walked) under their path. By department (pinyin order), then year, then file: how a reader
/// looks for one.
fn file_groups(batch: &crate::load::Batch, model: &SiteModel<'_>) -> Vec<FileGroup> {
    let mut pages: BTreeMap<(&str, Option<&str>), String> = BTreeMap::new();
    for d in &model.districts {
        for dep in &d.departments {
            for f in &dep.forms {
                let key = (f.file, f.source.sheet.as_deref());
                pages.insert(key, format!("{}#y{}", department_page(d, dep), f.year));
            }
            for e in &dep.evaluations {
                let key = (e.file, e.evaluation.sheet.as_deref());
                pages.insert(key, format!("{}#e{}", department_page(d, dep), e.year));
            }
        }
    }
    let mut groups: Vec<FileGroup> = batch
        .files
        .iter()
        .filter(|o| !o.diagnostics.is_empty())
        .map(|o| {
            let href = pages
                .get(&(o.file.display.as_str(), o.sheet.as_deref()))
                .cloned();
            file_group(o, href)
        })
        .collect();
    let read: std::collections::BTreeSet<&str> = batch
        .files
        .iter()
        .map(|o| o.file.display.as_str())
        .collect();
    for d in batch
        .diagnostics
        .iter()
        .filter(|d| !read.contains(d.file.as_str()))
    {
        groups.push(FileGroup {
            anchor: report_anchor(&d.file, None),
            department: String::new(),
            year: None,
            href: None,
            published: false,
            file: d.file.clone(),
            sheet: None,
            errors: usize::from(d.is_error()),
            warnings: usize::from(!d.is_error()),
            diagnostics: vec![NoteView::from(d)],
        });
    }
    groups.sort_by(|a, b| {
        (a.department.is_empty())
            .cmp(&b.department.is_empty())
            .then_with(|| crate::collate::names(&a.department, &b.department))
            .then_with(|| (a.year, &a.file, &a.sheet).cmp(&(b.year, &b.file, &b.sheet)))
    });
    groups
}

fn file_group(o: &crate::ingest::FileOutcome, href: Option<String>) -> FileGroup {
    let facts = o.facts.as_ref();
    // A self-evaluation names its department and year itself.
    let evaluation = o.evaluation.as_ref().map(|e| &e.form);
    let (errors, warnings) = o
        .diagnostics
        .iter()
        .fold((0, 0), |(e, w), d| match d.severity {
            Severity::Error => (e + 1, w),
            Severity::Warning => (e, w + 1),
        });
    FileGroup {
        anchor: report_anchor(&o.file.display, o.sheet.as_deref()),
        // A name can be the form's error (`field-too-long`): shown cut, never whole.
        department: facts
            .and_then(|f| f.department.as_deref())
            .or_else(|| evaluation.and_then(|e| e.department.as_deref()))
            .map(|n| shorten(n, 60))
            .unwrap_or_default(),
        year: facts
            .and_then(|f| f.fiscal_year)
            .or_else(|| evaluation.and_then(|e| e.fiscal_year)),
        published: href.is_some(),
        href,
        file: o.file.display.clone(),
        sheet: o.sheet.clone(),
        errors,
        warnings,
        diagnostics: o.diagnostics.iter().map(NoteView::from).collect(),
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
